from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import Conflict, Invalid, NotFound


class RuleNotFound(NotFound):
    code = "routing_rule_not_found"
    default_message = _("No such routing rule.")


class RuleNameTaken(Conflict):
    code = "routing_rule_name_taken"
    default_message = _("A routing rule with that name already exists.")


class InvalidConditions(Invalid):
    code = "invalid_conditions"
    default_message = _("The rule's conditions are not valid.")


class UnknownTeam(Invalid):
    code = "unknown_team"
    default_message = _("No such team.")


class InvalidOrder(Invalid):
    code = "invalid_rule_order"
    default_message = _("Name every routing rule exactly once to reorder them.")


class DecisionNotFound(NotFound):
    code = "routing_decision_not_found"
    default_message = _("No routing decision was recorded for this ticket.")


class RequirementTaken(Conflict):
    code = "skill_requirement_taken"
    default_message = _("That skill is already required for that value.")


class RequirementNotFound(NotFound):
    code = "skill_requirement_not_found"
    default_message = _("No such skill requirement.")


class TeamNotFound(NotFound):
    code = "team_not_found"
    default_message = _("No such team.")

from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import Conflict, Invalid, NotFound


class TriggerNotFound(NotFound):
    code = "automation_trigger_not_found"
    default_message = _("No such trigger.")


class TimeRuleNotFound(NotFound):
    code = "automation_time_rule_not_found"
    default_message = _("No such time rule.")


class MacroNotFound(NotFound):
    code = "automation_macro_not_found"
    default_message = _("No such macro.")


class CannedReplyNotFound(NotFound):
    code = "automation_canned_reply_not_found"
    default_message = _("No such canned reply.")


class NotificationNotFound(NotFound):
    code = "automation_notification_not_found"
    default_message = _("No such notification.")


class NameTaken(Conflict):
    code = "automation_name_taken"
    default_message = _("That name is taken already.")


class InvalidConditions(Invalid):
    code = "invalid_conditions"
    default_message = _("The conditions are not valid.")


class InvalidActions(Invalid):
    code = "invalid_actions"
    default_message = _("The actions are not valid.")


class InvalidTexts(Invalid):
    code = "invalid_texts"
    default_message = _("The texts are not valid.")


class InvalidOrder(Invalid):
    code = "invalid_trigger_order"
    default_message = _("Name every trigger exactly once to reorder them.")


class InvalidDefinition(Invalid):
    code = "invalid_definition"
    default_message = _("The definition is not valid.")

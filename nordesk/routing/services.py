"""Routing rules are created, changed and ordered only here, validated before anything is
written; `ticket_route` applies them to a new ticket."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts import services as account_services
from nordesk.core.config_cache import config_cached
from nordesk.core.errors import Invalid
from nordesk.customers import selectors as customer_selectors
from nordesk.tickets import services as ticket_services

from .conditions import conditions_validate
from .errors import InvalidOrder, RequirementTaken, RuleNameTaken, UnknownTeam
from .matching import TicketFacts, rules_match
from .models import Attribute, RoutingDecision, RoutingRule, SkillRequirement

if TYPE_CHECKING:
    from nordesk.tickets.models import Message, Ticket

# What `rule_update` may change; the position changes only through `rules_reorder`.
RULE_FIELDS = frozenset({"name", "conditions", "team_id", "is_active"})
NAME_LIMIT = 100


def _name_clean(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_LIMIT:
        raise Invalid(
            _("Give the rule a name of at most %(limit)d characters.") % {"limit": NAME_LIMIT},
            field="name",
        )
    return name


def _team_check(team_id: int) -> None:
    if not account_selectors.team_exists(team_id):
        raise UnknownTeam(field="team")


def _name_free(name: str, *, other_than: RoutingRule | None = None) -> None:
    taken = RoutingRule.objects.filter(name=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    if taken.exists():
        raise RuleNameTaken(field="name")


def rule_create(*, name: str, conditions: Any, team_id: int, is_active: bool = True) -> RoutingRule:
    """A new rule, tried after every existing one."""
    name = _name_clean(name)
    conditions_validate(conditions)
    _team_check(team_id)
    _name_free(name)
    try:
        with transaction.atomic():
            last = RoutingRule.objects.aggregate(last=Max("position"))["last"]
            return RoutingRule.objects.create(
                name=name,
                position=0 if last is None else last + 1,
                is_active=is_active,
                conditions=conditions,
                team_id=team_id,
            )
    except IntegrityError as exc:
        raise RuleNameTaken(field="name") from exc


@transaction.atomic
def rule_update(*, rule: RoutingRule, changes: dict[str, Any]) -> RoutingRule:
    unknown = set(changes) - RULE_FIELDS
    if unknown:
        raise Invalid(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if "name" in changes:
        changes = {**changes, "name": _name_clean(changes["name"])}
        _name_free(changes["name"], other_than=rule)
    if "conditions" in changes:
        conditions_validate(changes["conditions"])
    if "team_id" in changes:
        _team_check(changes["team_id"])
    for name, value in changes.items():
        setattr(rule, name, value)
    rule.updated_at = timezone.now()
    try:
        with transaction.atomic():
            rule.save(update_fields=[*changes, "updated_at"])
    except IntegrityError as exc:
        raise RuleNameTaken(field="name") from exc
    return rule


def rule_delete(*, rule: RoutingRule) -> None:
    """Decisions it made stay, with its name."""
    rule.delete()


@transaction.atomic
def rules_reorder(*, rule_ids: list[int]) -> list[RoutingRule]:
    """Every rule, in the order given: `rule_ids` names each rule exactly once."""
    rules = {rule.pk: rule for rule in RoutingRule.objects.select_for_update()}
    if len(rule_ids) != len(set(rule_ids)) or set(rule_ids) != set(rules):
        raise InvalidOrder(field="rule_ids")
    now = timezone.now()
    ordered = [rules[pk] for pk in rule_ids]
    for position, rule in enumerate(ordered):
        rule.position, rule.updated_at = position, now
    RoutingRule.objects.bulk_update(ordered, ["position", "updated_at"])
    return ordered


def facts_for_ticket(
    *, ticket: Ticket, message: Message, recipient: str = "", tier: str = ""
) -> TicketFacts:
    return TicketFacts(
        channel=ticket.channel,
        language=ticket.language,
        organisation_id=ticket.organisation_id,
        category=ticket.category,
        priority=ticket.priority,
        subject=ticket.subject,
        text=message.text,
        mailbox=recipient,
        tier=tier,
        custom_fields=ticket.custom_fields or {},
    )


ACTIVE_RULES = "routing:active-rules"


def _active_rules() -> list[RoutingRule]:
    return list(RoutingRule.objects.filter(is_active=True).order_by("position", "id"))


def _rules_ask_tier(rules: list[RoutingRule]) -> bool:
    return any(
        condition.get("field") == "tier"
        for rule in rules
        for condition in (rule.conditions.get("all") or rule.conditions.get("any") or [])
    )


def ticket_route(
    *, ticket: Ticket, message: Message, recipient: str = ""
) -> RoutingDecision | None:
    """Give a new ticket that has no team the team of the first active rule it matches, and
    record why. A team the channel chose (the mailbox's team) stays, and without active rules
    there is nothing to decide: nothing is recorded then.
    Call inside the intake transaction: the decision and the team change commit with it."""
    if ticket.team_id is not None:
        return None
    rules = config_cached(ACTIVE_RULES, _active_rules)
    if not rules:
        return None  # no rules, no decision: nothing to explain, no row to write
    tier = ""
    if ticket.organisation_id is not None and _rules_ask_tier(rules):
        tier = customer_selectors.organisation_tier(ticket.organisation_id)
    facts = facts_for_ticket(ticket=ticket, message=message, recipient=recipient, tier=tier)
    rule, trace = rules_match(rules, facts)
    if rule is not None:
        # `ticket` is the object the handlers after this one and the rest of intake hold.
        ticket_services.ticket_team_from_routing(ticket=ticket, team_id=rule.team_id)
    return RoutingDecision.objects.create(
        ticket_id=ticket.pk,
        rule=rule,
        rule_name=rule.name if rule is not None else "",
        team_id=rule.team_id if rule is not None else None,
        trace=trace,
    )


def skill_requirement_create(
    *, attribute: str, value: str, skill: str, level: int
) -> SkillRequirement:
    """Tickets whose `attribute` is `value` need `skill` at `level` or more in skills-based
    teams (e.g. language "da" needs "danish" at 3)."""
    if attribute not in Attribute.values:
        raise Invalid(_("Unknown ticket attribute."), field="attribute")
    value = value.strip()
    if not value or len(value) > 64:
        raise Invalid(_("Give the value in at most 64 characters."), field="value")
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
        raise Invalid(_("Skill levels go from 1 to 5."), field="level")
    skill_row = account_services.skill_get_or_create(name=skill)
    try:
        with transaction.atomic():
            return SkillRequirement.objects.create(
                attribute=attribute, value=value, skill=skill_row, level=level
            )
    except IntegrityError as exc:
        raise RequirementTaken(field="skill") from exc


def skill_requirement_delete(*, requirement: SkillRequirement) -> None:
    requirement.delete()

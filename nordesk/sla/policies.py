"""SLA policies: created and changed only here, their conditions validated first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from nordesk.core.config_cache import config_cached, config_changed
from nordesk.core.events import on_commit_enqueue
from nordesk.customers import selectors as customer_selectors

from .conditions import conditions_match, conditions_validate
from .errors import (
    CalendarNotFound,
    InvalidPolicy,
    InvalidPolicyOrder,
    PolicyInUse,
    PolicyNameTaken,
)
from .models import BusinessCalendar, SlaPolicy

POLICY_FIELDS = frozenset(
    {
        "name",
        "position",
        "is_active",
        "conditions",
        "calendar_id",
        "business_hours",
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
        "warning_percent",
        "pause_when_pending",
    }
)
TARGET_FIELDS = ("first_response_minutes", "next_response_minutes", "resolution_minutes")
# Changing these moves the deadlines of the policy's running clocks (a recompute job).
TIMING_FIELDS = frozenset({*TARGET_FIELDS, "warning_percent", "calendar_id", "business_hours"})
NAME_LIMIT = 100
# A year of minutes: more is a typing mistake, and keeps due times far from datetime.max.
MINUTES_LIMIT = 525_600


def policy_clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """The given policy fields checked and normalised; InvalidPolicy (or CalendarNotFound)
    naming the first problem. Also used by the admin form."""
    unknown = set(values) - POLICY_FIELDS
    if unknown:
        raise ValueError(f"unknown policy fields: {sorted(unknown)}")
    cleaned = dict(values)
    if "name" in values:
        cleaned["name"] = (values["name"] or "").strip()
        if not cleaned["name"] or len(cleaned["name"]) > NAME_LIMIT:
            raise InvalidPolicy(
                _("Give the policy a name of at most %(limit)d characters.")
                % {"limit": NAME_LIMIT},
                field="name",
            )
    if "conditions" in values:
        cleaned["conditions"] = conditions_validate(values["conditions"])
    for field in TARGET_FIELDS:
        minutes = values.get(field)
        whole = isinstance(minutes, int) and not isinstance(minutes, bool)
        if minutes is not None and not (whole and 1 <= minutes <= MINUTES_LIMIT):
            raise InvalidPolicy(
                _("A target is a whole number of minutes from 1 to %(limit)d.")
                % {"limit": MINUTES_LIMIT},
                field=field,
            )
    if "warning_percent" in values:
        percent = values["warning_percent"]
        whole = isinstance(percent, int) and not isinstance(percent, bool)
        if not (whole and 1 <= percent <= 100):
            raise InvalidPolicy(
                _("Warn at a whole percentage of the target from 1 to 100."),
                field="warning_percent",
            )
    calendar_id = values.get("calendar_id")
    if calendar_id is not None and not BusinessCalendar.objects.filter(pk=calendar_id).exists():
        raise CalendarNotFound(field="calendar")
    return cleaned


@transaction.atomic
def policy_create(
    *,
    name: str,
    conditions: list[dict[str, Any]] | None = None,
    calendar_id: int | None = None,
    business_hours: bool = True,
    first_response_minutes: int | None = None,
    next_response_minutes: int | None = None,
    resolution_minutes: int | None = None,
    warning_percent: int = 75,
    pause_when_pending: bool = False,
    is_active: bool = True,
    position: int | None = None,
) -> SlaPolicy:
    """A new policy, last in order unless `position` says otherwise."""
    values = policy_clean(
        {
            "name": name,
            "conditions": conditions or [],
            "calendar_id": calendar_id,
            "first_response_minutes": first_response_minutes,
            "next_response_minutes": next_response_minutes,
            "resolution_minutes": resolution_minutes,
            "warning_percent": warning_percent,
        }
    )
    if position is None:
        last = SlaPolicy.objects.aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    if SlaPolicy.objects.filter(name=values["name"]).exists():
        raise PolicyNameTaken(field="name")
    try:
        with transaction.atomic():
            return SlaPolicy.objects.create(
                **values,
                position=position,
                is_active=is_active,
                business_hours=business_hours,
                pause_when_pending=pause_when_pending,
            )
    except IntegrityError as exc:
        raise PolicyNameTaken(field="name") from exc


@transaction.atomic
def policy_update(*, policy: SlaPolicy, changes: dict[str, Any]) -> SlaPolicy:
    """Changes any of POLICY_FIELDS. A change of its targets, warning share or calendar
    recomputes the deadlines of the policy's running clocks after commit."""
    values = policy_clean(changes)
    if "name" in values and (
        SlaPolicy.objects.filter(name=values["name"]).exclude(pk=policy.pk).exists()
    ):
        raise PolicyNameTaken(field="name")
    timing = {
        field for field in TIMING_FIELDS & values.keys() if getattr(policy, field) != values[field]
    }
    for field, value in values.items():
        setattr(policy, field, value)
    policy.updated_at = timezone.now()
    policy.save(update_fields=[*values, "updated_at"])
    if timing:
        policy_clocks_recompute_later(policy_id=policy.pk)
    return policy


def policy_delete(*, policy: SlaPolicy) -> None:
    """Only a policy that never started a clock can go (its SLA events keep no name); one
    with clocks is refused with PolicyInUse: deactivate it instead."""
    if policy.clocks.exists():
        raise PolicyInUse()
    try:
        with transaction.atomic():
            policy.delete()
    except ProtectedError as exc:
        # A ticket arrived in between and started a clock under it.
        raise PolicyInUse() from exc


@transaction.atomic
def policies_reorder(*, policy_ids: list[int]) -> list[SlaPolicy]:
    """Every policy, in the order given: `policy_ids` names each policy exactly once."""
    policies = {policy.pk: policy for policy in SlaPolicy.objects.select_for_update()}
    if len(policy_ids) != len(set(policy_ids)) or set(policy_ids) != set(policies):
        raise InvalidPolicyOrder(field="policy_ids")
    now = timezone.now()
    ordered = [policies[pk] for pk in policy_ids]
    for position, policy in enumerate(ordered):
        policy.position, policy.updated_at = position, now
    SlaPolicy.objects.bulk_update(ordered, ["position", "updated_at"])
    # bulk_update sends no post_save: tell the next ticket about the new order here.
    config_changed(ACTIVE_POLICIES)
    return ordered


def policy_clocks_recompute_later(*, policy_id: int) -> None:
    from .tasks import sla_policy_clocks_recompute

    on_commit_enqueue(sla_policy_clocks_recompute, policy_id)


ACTIVE_POLICIES = "sla:active-policies"


def _active_policies() -> list[SlaPolicy]:
    return list(SlaPolicy.objects.filter(is_active=True).order_by("position", "id"))


def policies_exist() -> bool:
    return bool(config_cached(ACTIVE_POLICIES, _active_policies))


def policies_read_tags() -> bool:
    """Whether any active policy has a tags condition: only then are a ticket's tags read."""
    return _policies_ask(config_cached(ACTIVE_POLICIES, _active_policies), "tags")


def _policies_ask(policies: list[SlaPolicy], field: str) -> bool:
    return any(
        condition["field"] == field for policy in policies for condition in policy.conditions
    )


def policy_for(facts: Mapping[str, Any]) -> SlaPolicy | None:
    """The first active policy, in position order, whose conditions all hold for `facts`.
    The organisation's tier ("tier") is read here, and only when some active policy asks for
    it and `facts` do not carry it already, so intake pays no query for it otherwise."""
    policies = config_cached(ACTIVE_POLICIES, _active_policies)
    if "tier" not in facts and _policies_ask(policies, "tier"):
        organisation_id = facts.get("organisation_id")
        tier = customer_selectors.organisation_tier(organisation_id) if organisation_id else ""
        # Conditions hold tiers in lower case; a slug field also takes capitals.
        facts = {**facts, "tier": tier.lower()}
    for policy in policies:
        if conditions_match(policy.conditions, facts):
            return policy
    return None

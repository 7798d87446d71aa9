"""SLA policies: created and changed only here, their conditions validated first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nordesk.core.config_cache import config_cached

from .conditions import conditions_match, conditions_validate
from .errors import CalendarNotFound, InvalidPolicy, PolicyNameTaken
from .models import BusinessCalendar, SlaPolicy

POLICY_FIELDS = frozenset(
    {
        "name",
        "position",
        "is_active",
        "conditions",
        "calendar_id",
        "first_response_minutes",
        "resolution_minutes",
        "pause_when_pending",
    }
)
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
    for field in ("first_response_minutes", "resolution_minutes"):
        minutes = values.get(field)
        whole = isinstance(minutes, int) and not isinstance(minutes, bool)
        if minutes is not None and not (whole and 1 <= minutes <= MINUTES_LIMIT):
            raise InvalidPolicy(
                _("A target is a whole number of minutes from 1 to %(limit)d.")
                % {"limit": MINUTES_LIMIT},
                field=field,
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
    first_response_minutes: int | None = None,
    resolution_minutes: int | None = None,
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
            "resolution_minutes": resolution_minutes,
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
                pause_when_pending=pause_when_pending,
            )
    except IntegrityError as exc:
        raise PolicyNameTaken(field="name") from exc


@transaction.atomic
def policy_update(*, policy: SlaPolicy, changes: dict[str, Any]) -> SlaPolicy:
    """Changes any of POLICY_FIELDS. Running clocks keep the targets they started with."""
    values = policy_clean(changes)
    if "name" in values and (
        SlaPolicy.objects.filter(name=values["name"]).exclude(pk=policy.pk).exists()
    ):
        raise PolicyNameTaken(field="name")
    for field, value in values.items():
        setattr(policy, field, value)
    policy.updated_at = timezone.now()
    policy.save(update_fields=[*values, "updated_at"])
    return policy


ACTIVE_POLICIES = "sla:active-policies"


def _active_policies() -> list[SlaPolicy]:
    return list(SlaPolicy.objects.filter(is_active=True).order_by("position", "id"))


def policy_for(facts: Mapping[str, Any]) -> SlaPolicy | None:
    """The first active policy, in position order, whose conditions all hold for `facts`."""
    for policy in config_cached(ACTIVE_POLICIES, _active_policies):
        if conditions_match(policy.conditions, facts):
            return policy
    return None

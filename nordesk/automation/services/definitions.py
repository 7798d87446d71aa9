"""Triggers, time rules, macros and canned replies are created, changed and ordered only here,
validated before anything is written."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nordesk.core.config_cache import config_changed
from nordesk.core.errors import Invalid
from nordesk.sla import selectors as sla_selectors

from ..actions import MACRO_ACTIONS, TRIGGER_ACTIONS, actions_validate
from ..conditions import conditions_validate
from ..errors import InvalidDefinition, InvalidOrder, InvalidTexts, NameTaken
from ..models import CannedReply, Macro, Since, TimeRule, Trigger, TriggerEvent
from .running import ACTIVE_TRIGGERS

NAME_LIMIT = 100
MAX_MINUTES = 366 * 24 * 60
MAX_TEXT = 10_000
M = TypeVar("M", bound=models.Model)


def _name_clean(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_LIMIT:
        raise Invalid(
            _("Give it a name of at most %(limit)d characters.") % {"limit": NAME_LIMIT},
            field="name",
        )
    return name


def _name_free(model: type[models.Model], name: str, *, other_than: Any = None) -> None:
    taken = model._default_manager.filter(name=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    if taken.exists():
        raise NameTaken(field="name")


def _events_clean(events: Any) -> list[str]:
    if (
        not isinstance(events, list)
        or not events
        or not all(isinstance(e, str) and e in TriggerEvent.values for e in events)
    ):
        raise InvalidDefinition(
            _("Events are a list of one or more of %(choices)s.")
            % {"choices": ", ".join(TriggerEvent.values)},
            field="events",
        )
    return list(dict.fromkeys(events))


def texts_clean(texts: Any, *, required: bool = True) -> dict[str, str]:
    """A text per language ({"nb": "…", "en": "…"}), in the languages Nordesk speaks."""
    from django.conf import settings

    languages = [code for code, _name in settings.LANGUAGES]
    if not isinstance(texts, dict) or (required and not texts):
        raise InvalidTexts(
            _("Give a text for at least one language, keyed by its code (%(choices)s).")
            % {"choices": ", ".join(languages)},
            field="texts",
        )
    cleaned = {}
    for language, text in texts.items():
        if language not in languages:
            raise InvalidTexts(
                _("“%(language)s” is not a language; use one of %(choices)s.")
                % {"language": language, "choices": ", ".join(languages)},
                field="texts",
            )
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
            raise InvalidTexts(
                _("The %(language)s text must have 1 to %(limit)d characters.")
                % {"language": language, "limit": MAX_TEXT},
                field="texts",
            )
        cleaned[language] = text
    return cleaned


def _save(instance: M, fields: list[str]) -> M:
    if hasattr(instance, "updated_at"):
        instance.updated_at = timezone.now()
        fields = [*fields, "updated_at"]
    try:
        with transaction.atomic():
            instance.save(update_fields=fields)
    except IntegrityError as exc:
        raise NameTaken(field="name") from exc
    return instance


def _create(model: type[M], **fields: Any) -> M:
    try:
        with transaction.atomic():
            return model._default_manager.create(**fields)
    except IntegrityError as exc:
        raise NameTaken(field="name") from exc


def _unknown_refuse(changes: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise Invalid(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )


# --- triggers --------------------------------------------------------------------------------

TRIGGER_FIELDS = frozenset({"name", "is_active", "events", "conditions", "actions"})


def trigger_create(
    *, name: str, events: Any, conditions: Any, actions: Any, is_active: bool = True
) -> Trigger:
    """A new trigger, run after every existing one."""
    name = _name_clean(name)
    events = _events_clean(events)
    conditions = conditions_validate(conditions)
    actions = actions_validate(actions, allowed=TRIGGER_ACTIONS)
    _name_free(Trigger, name)
    with transaction.atomic():
        last = Trigger.objects.aggregate(last=Max("position"))["last"]
        return _create(
            Trigger,
            name=name,
            position=0 if last is None else last + 1,
            is_active=is_active,
            events=events,
            conditions=conditions,
            actions=actions,
        )


def trigger_update(*, trigger: Trigger, changes: dict[str, Any]) -> Trigger:
    _unknown_refuse(changes, TRIGGER_FIELDS)
    cleaned = dict(changes)
    if "name" in cleaned:
        cleaned["name"] = _name_clean(cleaned["name"])
        _name_free(Trigger, cleaned["name"], other_than=trigger)
    if "events" in cleaned:
        cleaned["events"] = _events_clean(cleaned["events"])
    if "conditions" in cleaned:
        cleaned["conditions"] = conditions_validate(cleaned["conditions"])
    if "actions" in cleaned:
        cleaned["actions"] = actions_validate(cleaned["actions"], allowed=TRIGGER_ACTIONS)
    for field, value in cleaned.items():
        setattr(trigger, field, value)
    return _save(trigger, list(cleaned))


def trigger_delete(*, trigger: Trigger) -> None:
    """Its runs stay, with its name."""
    trigger.delete()


@transaction.atomic
def triggers_reorder(*, trigger_ids: list[int]) -> list[Trigger]:
    """Every trigger, in the order given: `trigger_ids` names each trigger exactly once."""
    triggers = {trigger.pk: trigger for trigger in Trigger.objects.select_for_update()}
    if len(trigger_ids) != len(set(trigger_ids)) or set(trigger_ids) != set(triggers):
        raise InvalidOrder(field="trigger_ids")
    now = timezone.now()
    ordered = [triggers[pk] for pk in trigger_ids]
    for position, trigger in enumerate(ordered):
        trigger.position, trigger.updated_at = position, now
    Trigger.objects.bulk_update(ordered, ["position", "updated_at"])
    # bulk_update sends no post_save: drop the cached order here.
    config_changed(ACTIVE_TRIGGERS)
    return ordered


# --- time rules ------------------------------------------------------------------------------

TIME_RULE_FIELDS = frozenset(
    {"name", "is_active", "since", "after_minutes", "business_hours", "calendar_id", "conditions",
     "actions"}
)  # fmt: skip


def _time_rule_clean(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    if "name" in cleaned:
        cleaned["name"] = _name_clean(cleaned["name"])
    if "since" in cleaned and cleaned["since"] not in Since.values:
        raise InvalidDefinition(
            _("Count from one of %(choices)s.") % {"choices": ", ".join(Since.values)},
            field="since",
        )
    if "after_minutes" in cleaned:
        minutes = cleaned["after_minutes"]
        if (
            isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not 1 <= minutes <= MAX_MINUTES
        ):
            raise InvalidDefinition(
                _("Give the time in whole minutes, 1 to %(limit)d.") % {"limit": MAX_MINUTES},
                field="after_minutes",
            )
    if cleaned.get("calendar_id") is not None and (
        sla_selectors.calendar_get(calendar_id=cleaned["calendar_id"]) is None
    ):
        raise InvalidDefinition(_("No such business calendar."), field="calendar")
    if "conditions" in cleaned:
        cleaned["conditions"] = conditions_validate(cleaned["conditions"], for_timers=True)
    if "actions" in cleaned:
        cleaned["actions"] = actions_validate(cleaned["actions"], allowed=TRIGGER_ACTIONS)
    return cleaned


def time_rule_create(
    *,
    name: str,
    since: str,
    after_minutes: int,
    conditions: Any,
    actions: Any,
    business_hours: bool = False,
    calendar_id: int | None = None,
    is_active: bool = True,
) -> TimeRule:
    """A new rule. It counts for tickets from their next moment it watches on."""
    cleaned = _time_rule_clean(
        {
            "name": name,
            "since": since,
            "after_minutes": after_minutes,
            "conditions": conditions,
            "actions": actions,
            "calendar_id": calendar_id,
        }
    )
    _name_free(TimeRule, cleaned["name"])
    return _create(TimeRule, business_hours=business_hours, is_active=is_active, **cleaned)


def time_rule_update(*, rule: TimeRule, changes: dict[str, Any]) -> TimeRule:
    """Timers already written keep their due time; the conditions and actions that run when
    they fire are the rule's at that moment."""
    _unknown_refuse(changes, TIME_RULE_FIELDS)
    cleaned = _time_rule_clean(changes)
    if "name" in cleaned:
        _name_free(TimeRule, cleaned["name"], other_than=rule)
    for field, value in cleaned.items():
        setattr(rule, field, value)
    return _save(rule, [f if f != "calendar_id" else "calendar" for f in cleaned])


def time_rule_delete(*, rule: TimeRule) -> None:
    """Its pending timers go with it; its runs stay, with its name."""
    rule.delete()


# --- macros and canned replies ---------------------------------------------------------------

MACRO_FIELDS = frozenset({"name", "is_active", "actions", "texts"})
CANNED_FIELDS = frozenset({"name", "texts"})


def macro_create(*, name: str, actions: Any, texts: Any, is_active: bool = True) -> Macro:
    name = _name_clean(name)
    actions = actions_validate(actions, allowed=MACRO_ACTIONS)
    texts = texts_clean(texts, required=False)
    _name_free(Macro, name)
    return _create(Macro, name=name, actions=actions, texts=texts, is_active=is_active)


def macro_update(*, macro: Macro, changes: dict[str, Any]) -> Macro:
    _unknown_refuse(changes, MACRO_FIELDS)
    cleaned = dict(changes)
    if "name" in cleaned:
        cleaned["name"] = _name_clean(cleaned["name"])
        _name_free(Macro, cleaned["name"], other_than=macro)
    if "actions" in cleaned:
        cleaned["actions"] = actions_validate(cleaned["actions"], allowed=MACRO_ACTIONS)
    if "texts" in cleaned:
        cleaned["texts"] = texts_clean(cleaned["texts"], required=False)
    for field, value in cleaned.items():
        setattr(macro, field, value)
    return _save(macro, list(cleaned))


def macro_delete(*, macro: Macro) -> None:
    macro.delete()


def canned_reply_create(*, name: str, texts: Any) -> CannedReply:
    name = _name_clean(name)
    texts = texts_clean(texts)
    _name_free(CannedReply, name)
    return _create(CannedReply, name=name, texts=texts)


def canned_reply_update(*, canned: CannedReply, changes: dict[str, Any]) -> CannedReply:
    _unknown_refuse(changes, CANNED_FIELDS)
    cleaned = dict(changes)
    if "name" in cleaned:
        cleaned["name"] = _name_clean(cleaned["name"])
        _name_free(CannedReply, cleaned["name"], other_than=canned)
    if "texts" in cleaned:
        cleaned["texts"] = texts_clean(cleaned["texts"])
    for field, value in cleaned.items():
        setattr(canned, field, value)
    return _save(canned, list(cleaned))


def canned_reply_delete(*, canned: CannedReply) -> None:
    canned.delete()

"""Running definitions on a ticket: triggers on events, the actions of triggers, time rules and
macros, and the record of every run.

Loop safety: while a trigger's actions run, the events they cause do not run that trigger
again (its id is on the `_running` stack of this context), and no trigger runs more than
`MAX_DEPTH` triggers deep, so two triggers that undo each other stop."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from nordesk.accounts import selectors as account_selectors
from nordesk.core.config_cache import config_cached
from nordesk.core.errors import ApplicationError
from nordesk.core.events import on_commit_enqueue
from nordesk.csat import services as csat_services
from nordesk.tickets import services as ticket_services

from ..conditions import PRIORITIES
from ..matching import Broken, Changes, Facts, conditions_hold
from ..models import AutomationRun, Notification, Trigger
from ..placeholders import language_of, placeholder_values, placeholders_render, text_for_language

logger = logging.getLogger(__name__)

ACTIVE_TRIGGERS = "automation:active-triggers"
MAX_DEPTH = 5
_running: ContextVar[tuple[int, ...]] = ContextVar("automation_running", default=())


class CachedTrigger(NamedTuple):
    """A trigger as the cache holds it: a tuple unpickles several times faster than a model
    or a dataclass, and every event unpickles the list."""

    id: int
    name: str
    conditions: dict[str, Any]
    actions: list[dict[str, Any]]


def _active_triggers() -> dict[str, tuple[CachedTrigger, ...]]:
    by_event: dict[str, list[CachedTrigger]] = defaultdict(list)
    for trigger in Trigger.objects.filter(is_active=True).order_by("position", "id"):
        cached = CachedTrigger(trigger.pk, trigger.name, trigger.conditions, trigger.actions)
        for event in trigger.events:
            by_event[event].append(cached)
    return {event: tuple(triggers) for event, triggers in by_event.items()}


def triggers_for(event: str) -> tuple[CachedTrigger, ...]:
    """The active triggers on `event`, in order, from the cache (no query when cached)."""
    return config_cached(ACTIVE_TRIGGERS, _active_triggers).get(event, ())


@dataclass
class Outcome:
    """What running a list of actions did: one entry per action, and the errors."""

    ticket: Any
    done: list[dict[str, Any]]
    errors: list[str]


def triggers_run(
    *,
    event: str,
    ticket: Any,
    changes: Changes | None = None,
    loaders: Mapping[str, Callable[[], Any]] | None = None,
) -> list[AutomationRun]:
    """Run every active trigger on `event` whose conditions hold for `ticket`, in order, and
    record each run. Call inside the transaction of the change that caused the event; the
    caller's `ticket` is refreshed when a trigger changed it."""
    triggers = triggers_for(event)
    if not triggers:
        return []
    running = _running.get()
    if len(running) >= MAX_DEPTH:
        logger.warning("automation: triggers %s nest too deep; %s not run", running, event)
        return []
    facts = Facts(ticket=ticket, changes=changes, loaders=loaders)
    runs = []
    for trigger in triggers:
        if trigger.id in running:
            continue  # never on its own change
        try:
            if not conditions_hold(trigger.conditions, facts):
                continue
        except Broken:
            logger.warning("automation: trigger %s has broken conditions", trigger.id)
            continue
        token = _running.set((*running, trigger.id))
        try:
            outcome = actions_run(actions=trigger.actions, ticket=ticket, actor=None, event=event)
        finally:
            _running.reset(token)
        runs.append(
            AutomationRun(
                ticket_id=ticket.pk,
                trigger_id=trigger.id,
                name=trigger.name,
                event=event,
                actions=outcome.done,
                error="\n".join(outcome.errors),
            )
        )
        # The following triggers, and the code that emitted the event, see the changes.
        ticket.refresh_from_db()
        facts.reset()
    if runs:
        AutomationRun.objects.bulk_create(runs)
    return runs


def run_record(*, ticket: Any, name: str, event: str, outcome: Outcome, **source: Any) -> None:
    AutomationRun.objects.create(
        ticket_id=ticket.pk,
        name=name,
        event=event,
        actions=outcome.done,
        error="\n".join(outcome.errors),
        **source,
    )


def actions_run(
    *,
    actions: list[dict[str, Any]],
    ticket: Any,
    actor: Any,
    event: str,
    agent: Any = None,
    strict: bool = False,
) -> Outcome:
    """Carry out `actions` on `ticket` through the tickets services, as `actor` (None: the
    system). An action the ticket refuses (a closed ticket, a status it cannot reach) is
    recorded with its reason and undone; the others still run. `agent` is whom {{ agent.* }}
    names: the acting agent for macros, the assignee for automations. `strict`: the first
    refusal is raised instead (an agent's macro: all or nothing)."""
    outcome = Outcome(ticket=ticket, done=[], errors=[])
    for number, action in enumerate(actions, start=1):
        kind = action.get("type", "")
        handler = _ACTIONS.get(kind)
        try:
            if handler is None:
                raise ApplicationError(f"unknown action {kind!r}")
            with transaction.atomic():
                outcome.ticket = handler(outcome.ticket, action, actor, event, agent)
        except ApplicationError as exc:
            if strict:
                raise
            outcome.done.append({"type": kind, "error": exc.message})
            outcome.errors.append(f"{number}: {exc.message}")
        else:
            outcome.done.append({"type": kind})
    return outcome


# --- the actions, each (ticket, action, actor, event, agent) -> ticket ------------------------

Action = dict[str, Any]


def _set_status(ticket: Any, action: Action, actor: Any, *_: Any) -> Any:
    return ticket_services.ticket_change_status(ticket=ticket, status=action["value"], actor=actor)


def _set_priority(ticket: Any, action: Action, actor: Any, *_: Any) -> Any:
    return ticket_services.ticket_set_priority(ticket=ticket, priority=action["value"], actor=actor)


def _raise_priority(ticket: Any, action: Action, actor: Any, *_: Any) -> Any:
    rank = PRIORITIES.index(ticket.priority) if ticket.priority in PRIORITIES else 0
    higher = PRIORITIES[min(rank + 1, len(PRIORITIES) - 1)]
    return ticket_services.ticket_set_priority(ticket=ticket, priority=higher, actor=actor)


def _set_team(ticket: Any, action: Action, actor: Any, *_: Any) -> Any:
    return ticket_services.ticket_set_team(ticket=ticket, team_id=action["value"], actor=actor)


def _set_assignee(ticket: Any, action: Action, actor: Any, *_: Any) -> Any:
    return ticket_services.ticket_assign(ticket=ticket, assignee_id=action["value"], actor=actor)


def _add_tags(ticket: Any, action: Action, actor: Any, *_: Any) -> Any:
    return ticket_services.ticket_tag(ticket=ticket, add=action["value"], actor=actor)


def _remove_tags(ticket: Any, action: Action, actor: Any, *_: Any) -> Any:
    return ticket_services.ticket_tag(ticket=ticket, remove=action["value"], actor=actor)


def _set_field(ticket: Any, action: Action, actor: Any, *_: Any) -> Any:
    return ticket_services.ticket_set_fields(
        ticket=ticket, values={action["key"]: action["value"]}, actor=actor
    )


def render(text: Any, ticket: Any, agent: Any) -> str:
    """`text` (one, or one per language) in the ticket's language, placeholders filled."""
    chosen = text_for_language(text, language_of(ticket))
    return placeholders_render(chosen, placeholder_values(ticket=ticket, agent=agent))


def _automation_agent(ticket: Any, agent: Any) -> Any:
    if agent is not None or ticket.assignee_id is None:
        return agent
    return account_selectors.agent_by_user_id(ticket.assignee_id)


def _add_note(ticket: Any, action: Action, actor: Any, _event: str, agent: Any) -> Any:
    text = render(action["text"], ticket, _automation_agent(ticket, agent))
    ticket_services.ticket_add_note(ticket=ticket, actor=actor, text=text)
    return ticket


def _send_reply(ticket: Any, action: Action, actor: Any, _event: str, agent: Any) -> Any:
    text = render(action["text"], ticket, _automation_agent(ticket, agent))
    # An automatic reply leaves the status alone unless the action says otherwise.
    status = action.get("status") or ticket.status
    message = ticket_services.ticket_reply(ticket=ticket, actor=actor, text=text, status=status)
    return message.ticket


def recipients_user_ids(ticket: Any, recipients: list[Any]) -> list[int]:
    """The user ids of the agents `recipients` names for `ticket`, each once."""
    ids: dict[int, None] = {}
    agents = account_selectors.agent_list()
    for recipient in recipients:
        if isinstance(recipient, int):
            ids[recipient] = None
        elif recipient == "assignee" and ticket.assignee_id is not None:
            ids[ticket.assignee_id] = None
        elif recipient == "team" and ticket.team_id is not None:
            ids.update(
                dict.fromkeys(
                    agents.filter(teams__id=ticket.team_id).values_list("user_id", flat=True)
                )
            )
        elif recipient == "supervisors":
            supervisors = agents.filter(role="supervisor")
            of_team = supervisors.filter(teams__id=ticket.team_id) if ticket.team_id else None
            chosen = of_team if of_team is not None and of_team.exists() else supervisors
            ids.update(dict.fromkeys(chosen.values_list("user_id", flat=True)))
    return list(ids)


def _notify(ticket: Any, action: Action, actor: Any, event: str, agent: Any) -> Any:
    text = render(action["text"], ticket, _automation_agent(ticket, agent))
    notifications_create(
        user_ids=recipients_user_ids(ticket, action["to"]),
        ticket_id=ticket.pk,
        text=text,
        kind=event,
    )
    return ticket


def notifications_create(
    *, user_ids: list[int], ticket_id: int | None, text: str, kind: str | None = None
) -> None:
    """In each agent's notifications, and pushed to their open workspace after commit. A
    notification of a `kind` (the event that caused it) skips the agents who muted that kind;
    one without a kind reaches everyone named."""
    from ..tasks import notifications_publish

    if user_ids and kind is not None:
        muting = account_selectors.users_muting(user_ids=user_ids, kind=kind)
        user_ids = [user_id for user_id in user_ids if user_id not in muting]
    if user_ids:
        now = timezone.now()
        Notification.objects.bulk_create(
            Notification(recipient_id=user_id, ticket_id=ticket_id, text=text, created_at=now)
            for user_id in user_ids
        )
        on_commit_enqueue(notifications_publish, list(user_ids), ticket_id, text)


def _send_email(ticket: Any, action: Action, actor: Any, _event: str, agent: Any) -> Any:
    from ..tasks import email_send

    agent = _automation_agent(ticket, agent)
    users = [r for r in action["to"] if not (isinstance(r, str) and "@" in r)]
    addresses = [r for r in action["to"] if isinstance(r, str) and "@" in r]
    user_ids = recipients_user_ids(ticket, users)
    if user_ids:
        addresses += list(
            account_selectors.agent_list()
            .filter(user_id__in=user_ids)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    if addresses:
        subject = render(action["subject"], ticket, agent).replace("\n", " ")[:250]
        on_commit_enqueue(
            email_send, sorted(set(addresses)), subject, render(action["text"], ticket, agent)
        )
    return ticket


def _webhook(ticket: Any, action: Action, actor: Any, event: str, _agent: Any) -> Any:
    from ..tasks import webhook_post

    body = {
        "event": event,
        "ticket": {
            "id": ticket.pk,
            "number": ticket.number,
            "status": ticket.status,
            "priority": ticket.priority,
            "channel": ticket.channel,
            "language": ticket.language,
            "team_id": ticket.team_id,
            "assignee_id": ticket.assignee_id,
            "tags": sorted(tag.name for tag in ticket.tags.all()),
        },
        "sent_at": timezone.now().isoformat(),
    }
    on_commit_enqueue(webhook_post, action["url"], body)
    return ticket


def _skip_survey(ticket: Any, action: Action, actor: Any, *_: Any) -> Any:
    csat_services.survey_skip(ticket_id=ticket.pk, actor=actor)
    return ticket


_ACTIONS: dict[str, Callable[..., Any]] = {
    "set_status": _set_status,
    "set_priority": _set_priority,
    "raise_priority": _raise_priority,
    "set_team": _set_team,
    "set_assignee": _set_assignee,
    "add_tags": _add_tags,
    "remove_tags": _remove_tags,
    "set_field": _set_field,
    "add_note": _add_note,
    "send_reply": _send_reply,
    "send_email": _send_email,
    "notify": _notify,
    "webhook": _webhook,
    "skip_survey": _skip_survey,
}

"""What routing listens to."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from nordesk.accounts import selectors as account_selectors
from nordesk.core.config_cache import config_changed
from nordesk.core.events import DomainEvent, on_commit_enqueue, subscribe
from nordesk.tickets.selectors import ACTIVE_WORK

from . import dispatch, services, tasks
from .models import RoutingRule, SkillRequirement


def _dispatch_soon(team_id: int | None) -> None:
    """Hand out the team's queue once this transaction commits, if routing works on it."""
    if team_id is not None and team_id in account_selectors.teams_dispatched():
        on_commit_enqueue(tasks.team_dispatch_job, team_id)


@subscribe("ticket_created")
def on_ticket_created(event: DomainEvent) -> None:
    """A new ticket without a team gets one from the routing rules, then joins its queue.
    (A team set by a rule has already announced the ticket through `ticket_queued`.)"""
    ticket = event.payload["ticket"]
    team_before = ticket.team_id
    services.ticket_route(
        ticket=ticket, message=event.payload["message"], recipient=event.payload["recipient"]
    )
    if team_before is not None:
        _dispatch_soon(team_before)


@subscribe("ticket_queued")
def on_ticket_queued(event: DomainEvent) -> None:
    _dispatch_soon(event.payload["team_id"])


@subscribe("ticket_status_changed")
def on_status_changed(event: DomainEvent) -> None:
    """Solving or parking an assigned ticket frees a place at its agent; reopening an
    unassigned one puts it back in the queue. Either way the team's queue may move."""
    ticket, old, new = event.payload["ticket"], event.payload["old"], event.payload["new"]
    if event.payload["imported"] or (old in ACTIVE_WORK) == (new in ACTIVE_WORK):
        return
    frees_a_place = ticket.assignee_id is not None and new not in ACTIVE_WORK
    joins_the_queue = ticket.assignee_id is None and new in ACTIVE_WORK
    if frees_a_place or joins_the_queue:
        _dispatch_soon(ticket.team_id)


@subscribe("agent_presence_changed")
def on_presence_changed(event: DomainEvent) -> None:
    if event.payload["presence"] == "online":
        for team_id in account_selectors.agent_team_ids_of_user(event.payload["user_id"]):
            _dispatch_soon(team_id)


@receiver([post_save, post_delete], sender=RoutingRule)
def on_rule_changed(**_kwargs) -> None:
    """Every change, by the services or the admin, is seen by the next ticket."""
    config_changed(services.ACTIVE_RULES)


@receiver([post_save, post_delete], sender=SkillRequirement)
def on_requirement_changed(**_kwargs) -> None:
    config_changed(dispatch.SKILL_REQUIREMENTS)

"""Saved inbox views: an agent's own, or shared with one of their teams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nordesk.accounts.selectors import agent_team_ids, team_exists
from nordesk.core.errors import Invalid, PermissionDenied

from ..listing import SORT_ORDERS
from ..models import SavedView

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

MAX_VIEWS_PER_AGENT = 50


def _checked(agent: Agent, *, name: str, team_id: int | None, sort: str) -> str:
    name = name.strip()
    if not name:
        raise Invalid(_("Give the view a name."), field="name")
    if sort not in SORT_ORDERS:
        raise Invalid(_("Unknown sort order."), field="sort")
    if team_id is not None and not _may_share_with(agent, team_id):
        raise Invalid(_("Share views only with a team you are in."), field="team")
    return name


def _may_share_with(agent: Agent, team_id: int) -> bool:
    if agent.sees_all_tickets:  # supervisors and admins set up views for any team
        return team_exists(team_id)
    return team_id in agent_team_ids(agent)


def saved_view_may_change(agent: Agent, view: SavedView) -> bool:
    """The owner; for a team's view also supervisors and admins."""
    return view.owner_id == agent.user_id or (view.team_id is not None and agent.sees_all_tickets)


@transaction.atomic
def saved_view_create(
    *,
    agent: Agent,
    name: str,
    filters: dict[str, Any],
    sort: str,
    columns: list[str],
    team_id: int | None = None,
) -> SavedView:
    name = _checked(agent, name=name, team_id=team_id, sort=sort)
    if SavedView.objects.filter(owner_id=agent.user_id).count() >= MAX_VIEWS_PER_AGENT:
        raise Invalid(
            _("You have %(limit)d views already; delete one first.")
            % {"limit": MAX_VIEWS_PER_AGENT},
            field="name",
        )
    return SavedView.objects.create(
        name=name,
        owner_id=agent.user_id,
        team_id=team_id,
        filters=filters,
        sort=sort,
        columns=columns,
    )


@transaction.atomic
def saved_view_update(
    *,
    agent: Agent,
    view: SavedView,
    name: str,
    filters: dict[str, Any],
    sort: str,
    columns: list[str],
    team_id: int | None = None,
) -> SavedView:
    if not saved_view_may_change(agent, view):
        raise PermissionDenied(_("Only its owner or a supervisor may change this view."))
    view.name = _checked(agent, name=name, team_id=team_id, sort=sort)
    view.team_id = team_id
    view.filters, view.sort, view.columns = filters, sort, columns
    view.updated_at = timezone.now()
    view.save()
    return view


def saved_view_delete(*, agent: Agent, view: SavedView) -> None:
    if not saved_view_may_change(agent, view):
        raise PermissionDenied(_("Only its owner or a supervisor may delete this view."))
    view.delete()

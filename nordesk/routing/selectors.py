from __future__ import annotations

from django.db.models import QuerySet

from nordesk.core.selectors import first_row

from .models import RoutingDecision, RoutingRule


def rule_list() -> QuerySet[RoutingRule]:
    """Every rule in the order they are tried."""
    return RoutingRule.objects.order_by("position", "id")


def rule_get(*, rule_id: int) -> RoutingRule | None:
    return first_row(RoutingRule.objects.filter(pk=rule_id))


def decision_for_ticket(*, ticket_id: int) -> RoutingDecision | None:
    """The latest routing decision about the ticket. Callers check the ticket's scope first."""
    return first_row(
        RoutingDecision.objects.filter(ticket_id=ticket_id).order_by("-created_at", "-id")
    )

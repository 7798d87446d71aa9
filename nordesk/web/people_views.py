"""Customers and organisations: lists, profiles (everything about a customer in one place),
edits and merges."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from nordesk.core.errors import NotFound
from nordesk.customers import selectors as customer_selectors
from nordesk.tickets import selectors as ticket_selectors

from .views import agent_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent


@require_GET
@agent_required
def customer_detail(request: HttpRequest, agent: Agent, customer_id: int) -> HttpResponse:
    try:
        customer = customer_selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)
    except NotFound as error:
        raise Http404(error.message) from error
    context = {
        "agent": agent,
        "customer": customer,
        "tickets": ticket_selectors.tickets_for_customer(agent=agent, customer_id=customer.pk),
        "recent_messages": ticket_selectors.messages_for_customer(
            agent=agent, customer_id=customer.pk, limit=50
        ),
    }
    return render(request, "web/customer.html", context)

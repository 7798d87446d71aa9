"""A signed-in customer's requests: every read through the customer's scope (another
customer's ticket is 404), only the public conversation, replies through the pipeline."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from nordesk.connectors.webform import services as webform
from nordesk.connectors.webform.spam import form_token_issue
from nordesk.core.errors import ApplicationError, NotFound
from nordesk.csat import selectors as csat_selectors
from nordesk.tickets import customer_selectors as ticket_reads
from nordesk.tickets import services as ticket_services

from . import selectors
from .forms import ReplyForm
from .models import PortalAccount
from .pages import render_page
from .session import customer_required


def _not_found(exc: NotFound) -> Http404:
    return Http404(exc.message)


@require_GET
@customer_required
def ticket_list(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    scope = selectors.account_scope(account)
    try:
        tickets, next_cursor = ticket_reads.ticket_page_for_customer(
            scope=scope, cursor=request.GET.get("cursor") or None
        )
    except ApplicationError:
        return redirect("portal:tickets")
    context = {
        "nav": "tickets",
        "tickets": tickets,
        "next_cursor": next_cursor,
        "own_customer_id": scope.customer_id,
        "is_manager": scope.organisation_id is not None,
        "in_cc": bool(scope.cc_ticket_ids),
    }
    return render_page(request, "portal/tickets.html", context)


def _ticket(scope: ticket_reads.CustomerScope, number: int):
    try:
        return ticket_reads.ticket_get_for_customer(scope=scope, number=number)
    except NotFound as exc:
        raise _not_found(exc) from exc


def _ticket_page(
    request: HttpRequest,
    scope: ticket_reads.CustomerScope,
    ticket: Any,
    *,
    form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    own = ticket.customer_id == scope.customer_id
    context = {
        "nav": "tickets",
        "ticket": ticket,
        "messages_": ticket_reads.public_messages_for_customer(ticket=ticket),
        "own": own,
        "viewer_id": scope.customer_id,
        "in_cc": ticket.pk in scope.cc_ticket_ids,
        "can_solve": ticket_reads.ticket_solvable_by_customer(scope=scope, ticket=ticket),
        # The satisfaction survey sent on solving, while it may still be answered.
        "survey_url": (
            csat_selectors.survey_pending_for_ticket(
                ticket_id=ticket.pk, customer_id=scope.customer_id
            )
            if own
            else None
        ),
        "can_reply": scope.may_reply(ticket),
        "form": form or ReplyForm(initial={"form_token": form_token_issue()}, auto_id="reply-%s"),
    }
    return render_page(request, "portal/ticket.html", context, status=status)


@require_GET
@customer_required
def ticket_detail(request: HttpRequest, account: PortalAccount, number: int) -> HttpResponse:
    scope = selectors.account_scope(account)
    return _ticket_page(request, scope, _ticket(scope, number))


@require_POST
@customer_required
def ticket_reply(request: HttpRequest, account: PortalAccount, number: int) -> HttpResponse:
    scope = selectors.account_scope(account)
    ticket = _ticket(scope, number)
    if not scope.may_reply(ticket):
        raise Http404()
    form = ReplyForm(request.POST, request.FILES, auto_id="reply-%s")
    if form.is_valid():
        try:
            message = webform.portal_reply_receive(
                ticket_id=ticket.pk,
                customer_id=scope.customer_id,
                text=form.cleaned_data["text"],
                attachments=webform.attachments_from_uploads(form.cleaned_data["attachments"]),
                form_token=form.cleaned_data["form_token"],
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            return redirect("portal:ticket", number=message.ticket.number)
    return _ticket_page(request, scope, ticket, form=form, status=400)


@require_POST
@customer_required
def ticket_solve(request: HttpRequest, account: PortalAccount, number: int) -> HttpResponse:
    scope = selectors.account_scope(account)
    ticket = _ticket(scope, number)
    try:
        ticket_services.ticket_solve_by_customer(ticket=ticket, customer_id=scope.customer_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    except ApplicationError:
        pass  # closed meanwhile: the page shows it as it is
    return redirect("portal:ticket", number=number)


@require_GET
@customer_required
def attachment_download(
    request: HttpRequest, account: PortalAccount, number: int, attachment_id: int
) -> FileResponse:
    try:
        attachment = ticket_reads.attachment_get_for_customer(
            scope=selectors.account_scope(account), number=number, attachment_id=attachment_id
        )
    except NotFound as exc:
        raise _not_found(exc) from exc
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

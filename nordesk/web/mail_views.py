"""Settings pages for admins: the mailboxes mail arrives through, and the quarantine of mail
that could not be imported. Thin like the other views: reads through the email channel's
selectors, writes through its services, whose refusals are shown by the form that asked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nordesk.accounts import selectors as account_selectors
from nordesk.connectors.email import selectors as email_selectors
from nordesk.connectors.email import services as email_services
from nordesk.connectors.email.models import RawStatus
from nordesk.core.errors import ApplicationError, NotFound
from nordesk.tickets import selectors as ticket_selectors

from . import forms
from .views import admin_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent
    from nordesk.connectors.email.models import Mailbox, RawEmail


# --- mailboxes ------------------------------------------------------------------------------


def _mailbox_or_404(mailbox_id: int) -> Mailbox:
    mailbox = email_selectors.mailbox_get(mailbox_id=mailbox_id)
    if mailbox is None:
        raise Http404(_("No such mailbox."))
    return mailbox


def _mailbox_form(data: Any = None, *, mailbox: Mailbox | None = None) -> forms.MailboxForm:
    return forms.MailboxForm(
        data, teams=account_selectors.team_list(), languages=settings.LANGUAGES, mailbox=mailbox
    )


def _inbound_url(request: HttpRequest, mailbox: Mailbox) -> str:
    return request.build_absolute_uri(reverse("api:inbound_raw", args=[mailbox.pk]))


@require_GET
@admin_required
def mailbox_list(request: HttpRequest, agent: Agent) -> HttpResponse:
    context = {
        "nav": "mailboxes",
        "agent": agent,
        "mailboxes": email_selectors.mailbox_list(),
    }
    return render(request, "web/mailboxes.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def mailbox_create(request: HttpRequest, agent: Agent) -> HttpResponse:
    form = _mailbox_form(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            mailbox = email_services.mailbox_create(
                imap_password=form.new_password() or "", **form.changes()
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Mailbox %(name)s created.") % {"name": mailbox.name})
            return redirect("web:mailboxes")
    context = {"nav": "mailboxes", "agent": agent, "form": form, "mailbox": None}
    return render(request, "web/mailbox_form.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def mailbox_edit(request: HttpRequest, agent: Agent, mailbox_id: int) -> HttpResponse:
    mailbox = _mailbox_or_404(mailbox_id)
    form = _mailbox_form(request.POST if request.method == "POST" else None, mailbox=mailbox)
    if form.is_bound and form.is_valid():
        try:
            email_services.mailbox_update(
                mailbox=mailbox, changes=form.changes(), imap_password=form.new_password()
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Mailbox %(name)s saved.") % {"name": mailbox.name})
            return redirect("web:mailboxes")
    return _render_mailbox_edit(request, agent, mailbox, form=form)


def _render_mailbox_edit(
    request: HttpRequest,
    agent: Agent,
    mailbox: Mailbox,
    *,
    form: forms.MailboxForm | None = None,
    secret: str = "",
) -> HttpResponse:
    context = {
        "nav": "mailboxes",
        "agent": agent,
        "form": form or _mailbox_form(mailbox=mailbox),
        "mailbox": mailbox,
        "inbound_url": _inbound_url(request, mailbox),
        "secret": secret,
        # The secret's page answers a POST: the language switcher comes back to the form.
        "page_url": reverse("web:mailbox_edit", args=[mailbox.pk]),
    }
    return render(request, "web/mailbox_form.html", context)


@never_cache
@require_POST
@admin_required
def mailbox_webhook_secret(request: HttpRequest, agent: Agent, mailbox_id: int) -> HttpResponse:
    """A new secret for the mailbox's raw-MIME endpoint, shown in this response only: it is
    neither stored (only its digest is) nor put where a redirect could pick it up again."""
    mailbox = _mailbox_or_404(mailbox_id)
    secret = email_services.mailbox_webhook_secret_rotate(mailbox=mailbox)
    return _render_mailbox_edit(request, agent, mailbox, secret=secret)


# --- quarantine -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarantineRow:
    raw: RawEmail
    mailbox_name: str
    retry_form: forms.PageForm
    discard_form: forms.PageForm


def _retry_form(raw_id: int, data: Any = None) -> forms.PageForm:
    return forms.PageForm(data, auto_id=f"retry-{raw_id}-%s")


def _discard_form(raw_id: int, data: Any = None) -> forms.DiscardForm:
    return forms.DiscardForm(data, auto_id=f"discard-{raw_id}-%s")


def _render_quarantine(
    request: HttpRequest,
    agent: Agent,
    *,
    bound: dict[tuple[int, str], forms.PageForm] | None = None,
) -> HttpResponse:
    """The quarantine, newest first. `bound` holds a form that was refused, by (row, action),
    so its error shows by its row; a refusal for a row no longer listed shows above."""
    bound = bound or {}
    raws = list(email_selectors.quarantine_list())
    rows = [
        QuarantineRow(
            raw=raw,
            mailbox_name=raw.mailbox.name,
            retry_form=bound.get((raw.pk, "retry")) or _retry_form(raw.pk),
            discard_form=bound.get((raw.pk, "discard")) or _discard_form(raw.pk),
        )
        for raw in raws
    ]
    listed = {raw.pk for raw in raws}
    refusals = [
        str(error)
        for (raw_id, _action), form in bound.items()
        if raw_id not in listed
        for errors in form.errors.values()
        for error in errors
    ]
    context = {
        "nav": "quarantine",
        "agent": agent,
        "rows": rows,
        "total": email_selectors.quarantine_count(),
        "refusals": refusals,
        "page_url": reverse("web:quarantine"),
    }
    return render(request, "web/quarantine.html", context)


def _raw_or_404(raw_id: int) -> RawEmail:
    raw = email_selectors.raw_email_get(raw_id=raw_id)
    if raw is None:
        raise Http404(_("No such message in the quarantine."))
    return raw


@require_GET
@admin_required
def quarantine(request: HttpRequest, agent: Agent) -> HttpResponse:
    return _render_quarantine(request, agent)


@require_GET
@admin_required
def quarantine_raw(request: HttpRequest, agent: Agent, raw_id: int) -> HttpResponse:
    """The message exactly as it arrived, as a download: hostile bytes are never rendered."""
    raw = _raw_or_404(raw_id)
    response = HttpResponse(
        email_selectors.raw_email_content(raw_id=raw.pk), content_type="message/rfc822"
    )
    response["Content-Disposition"] = f'attachment; filename="message-{raw.pk}.eml"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _ticket_number(agent: Agent, ticket_id: int | None) -> int | None:
    if ticket_id is None:
        return None
    try:
        return ticket_selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id).number
    except NotFound:
        return None


@require_POST
@admin_required
def quarantine_retry(request: HttpRequest, agent: Agent, raw_id: int) -> HttpResponse:
    """Import the message again. Still failing is no error of the request: the message stays
    in the quarantine, and the reason is shown by its row."""
    raw = _raw_or_404(raw_id)
    form = _retry_form(raw.pk, request.POST)
    form.is_valid()  # no fields: only a place for the refusal
    try:
        result = email_services.quarantine_retry(raw_email=raw)
    except ApplicationError as error:
        form.add_application_error(error)
        return _render_quarantine(request, agent, bound={(raw.pk, "retry"): form})
    if result.status == RawStatus.QUARANTINED:
        form.add_error(None, _("Still quarantined: %(reason)s") % {"reason": result.reason or "—"})
        return _render_quarantine(request, agent, bound={(raw.pk, "retry"): form})
    number = _ticket_number(agent, result.ticket_id)
    if result.status == RawStatus.PROCESSED and number is not None:
        messages.success(
            request, _("The message was imported into ticket #%(number)s.") % {"number": number}
        )
    elif result.duplicate and number is not None:
        messages.info(
            request,
            _("The message left the quarantine: a copy of it is already on ticket #%(number)s.")
            % {"number": number},
        )
    else:
        messages.info(
            request,
            _("The message left the quarantine without becoming a ticket: %(reason)s")
            % {"reason": result.reason or "—"},
        )
    return redirect("web:quarantine")


@require_POST
@admin_required
def quarantine_discard(request: HttpRequest, agent: Agent, raw_id: int) -> HttpResponse:
    raw = _raw_or_404(raw_id)
    form = _discard_form(raw.pk, request.POST)
    if form.is_valid():
        try:
            email_services.quarantine_discard(raw_email=raw, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("The message was discarded."))
            return redirect("web:quarantine")
    return _render_quarantine(request, agent, bound={(raw.pk, "discard"): form})

"""The customer-facing pages under /help/. Thin: forms check shape, the web form connector and
the services do the work, and every ticket read goes through the customer's scope."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nordesk.connectors.webform import services as webform
from nordesk.connectors.webform.spam import form_token_issue
from nordesk.core.errors import ApplicationError, NotFound
from nordesk.customers import selectors as customer_selectors
from nordesk.tickets import customer_selectors as ticket_reads
from nordesk.tickets import selectors as ticket_selectors
from nordesk.tickets import services as ticket_services

from . import selectors, services
from .forms import ContactForm, PasswordSetForm, PasswordSignInForm, ReplyForm, SignInLinkForm
from .models import PortalAccount
from .session import (
    customer_required,
    portal_account,
    portal_session_refresh,
    portal_sign_in,
    portal_sign_out,
)

SESSION_LAST_TICKET = "portal_last_ticket"


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context.setdefault("account", portal_account(request))
    context.setdefault("brand", SimpleLazyObject(selectors.brand_name))
    return render(request, template, context, status=status)


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _not_found(exc: NotFound) -> Http404:
    return Http404(exc.message)


# --- home and contact form ---------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _render(request, "portal/home.html", {"nav": "home"})


def _contact_form(request: HttpRequest, data: Any = None, files: Any = None) -> ContactForm:
    form_settings = selectors.contact_form_settings()
    definitions = ticket_selectors.custom_field_definitions(keys=form_settings.field_keys)
    by_key = {definition.key: definition for definition in definitions}
    ordered = [by_key[key] for key in form_settings.field_keys if key in by_key]
    initial: dict[str, Any] = {"form_token": form_token_issue()}
    account = portal_account(request)
    if account is not None:
        initial["name"] = account.customer.name
        initial["email"] = customer_selectors.customer_primary_address(
            customer_id=account.customer_id, kind="email"
        )
    return ContactForm(
        data,
        files,
        initial=initial,
        categories=form_settings.categories,
        definitions=ordered,
        auto_id="contact-%s",
    )


def _contact_submit(
    request: HttpRequest, form: ContactForm, *, source: str
) -> tuple[int | None, int]:
    """The new ticket's number, or None with the refusal on the form; and the status to
    answer with (400, or 429 when sent too often)."""
    if not form.is_valid():
        return None, 400
    data = form.cleaned_data
    submission = webform.WebSubmission(
        name=data["name"],
        email=data["email"],
        subject=data["subject"],
        description=data["description"],
        category=data.get("category", ""),
        custom_fields=data["custom_fields"],
        attachments=webform.attachments_from_uploads(data["attachments"]),
        language=get_language() or "",
        form=source,
    )
    try:
        message = webform.submission_receive(
            submission=submission,
            form_token=data["form_token"],
            honeypot=data["website"],
            ip=_client_ip(request),
        )
    except ApplicationError as error:
        form.add_application_error(error)
        return None, 429 if error.status == 429 else 400
    return int(message.ticket.number), 200


def _with_fresh_token(form: ContactForm) -> ContactForm:
    """A refused form comes back as typed, with a new token: nothing of it was stored."""
    data = form.data.copy()  # type: ignore[attr-defined] # a QueryDict from the request
    data["form_token"] = form_token_issue()
    form.data = data
    return form


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = _contact_form(request, request.POST, request.FILES)
        number, status = _contact_submit(request, form, source="contact")
        if number is not None:
            request.session[SESSION_LAST_TICKET] = number
            return redirect("portal:contact_done")
        context = {"form": _with_fresh_token(form), "nav": "contact"}
        return _render(request, "portal/contact.html", context, status=status)
    form = _contact_form(request)
    return _render(request, "portal/contact.html", {"form": form, "nav": "contact"})


@require_GET
def contact_done(request: HttpRequest) -> HttpResponse:
    number = request.session.get(SESSION_LAST_TICKET)
    if number is None:
        return redirect("portal:contact")
    return _render(request, "portal/contact_done.html", {"number": number})


def _embed_headers(response: HttpResponse) -> HttpResponse:
    """Only the embedded form may be framed, and only by the sites the setting names."""
    ancestors = " ".join(["'self'", *settings.PORTAL_EMBED_ORIGINS])
    response["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
    return response


# The embedded form lives in a frame on another site, where browsers send it no cookies of
# ours: no session and no CSRF cookie. It needs neither: it signs nobody in, and its signed
# form token and the spam checks stand in for the CSRF check of a form anyone may send.
@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def embed_contact(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = _contact_form(request, request.POST, request.FILES)
        number, status = _contact_submit(request, form, source="embed")
        if number is not None:
            return _embed_headers(
                _render(request, "portal/embed_done.html", {"number": number, "embed": True})
            )
        context = {"form": _with_fresh_token(form), "embed": True}
        return _embed_headers(_render(request, "portal/embed_contact.html", context, status=status))
    form = _contact_form(request)
    return _embed_headers(
        _render(request, "portal/embed_contact.html", {"form": form, "embed": True})
    )


@require_GET
def widget_js(request: HttpRequest) -> HttpResponse:
    context = {"embed_url": request.build_absolute_uri(reverse("portal:embed_contact"))}
    response = render(request, "portal/widget.js", context, content_type="text/javascript")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- signing in and out ------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    portal_home = reverse("portal:home")
    if target.startswith(portal_home) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:tickets")


def _sign_in_page(
    request: HttpRequest,
    *,
    link_form: SignInLinkForm | None = None,
    password_form: PasswordSignInForm | None = None,
    link_error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "link_error": link_error,
        "nav": "sign_in",
        "link_form": link_form or SignInLinkForm(auto_id="link-%s"),
        "password_form": password_form or PasswordSignInForm(auto_id="password-%s"),
        "next": _next_url(request),
    }
    return _render(request, "portal/sign_in.html", context, status=status)


@require_GET
def sign_in(request: HttpRequest) -> HttpResponse:
    return _sign_in_page(request)


@require_POST
def sign_in_link_request(request: HttpRequest) -> HttpResponse:
    form = SignInLinkForm(request.POST, auto_id="link-%s")
    if form.is_valid():
        email = form.cleaned_data["email"]
        link_url = request.build_absolute_uri(
            reverse("portal:sign_in_link", args=["TOKEN"])
        ).replace("TOKEN", "{token}")
        try:
            services.sign_in_link_request(
                email=email, ip=_client_ip(request), link_url=link_url, language=get_language()
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            return _render(request, "portal/sign_in_sent.html", {"email": email})
    return _sign_in_page(request, link_form=form, status=400)


@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm, POST signs in: mail scanners that open links must not use them."""
    if request.method == "GET":
        return _render(request, "portal/sign_in_confirm.html", {"nav": "sign_in"})
    try:
        account = services.sign_in_link_use(token=token)
    except ApplicationError as error:
        return _sign_in_page(request, link_error=error.message, status=400)
    portal_sign_in(request, account)
    return redirect("portal:tickets")


@require_POST
def sign_in_password(request: HttpRequest) -> HttpResponse:
    form = PasswordSignInForm(request.POST, auto_id="password-%s")
    if form.is_valid():
        try:
            account = services.account_sign_in_with_password(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                ip=_client_ip(request),
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            portal_sign_in(request, account)
            return redirect(_next_url(request))
    return _sign_in_page(request, password_form=form, status=400)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    portal_sign_out(request)
    return redirect("portal:home")


@require_http_methods(["GET", "POST"])
@customer_required
def account_settings(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    form = PasswordSetForm(request.POST or None, auto_id="account-%s")
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            services.account_password_set(account=account, password=form.cleaned_data["password"])
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            portal_session_refresh(request, account)
            form, saved = PasswordSetForm(auto_id="account-%s"), True
    status = 400 if form.errors else 200
    context = {"form": form, "saved": saved, "nav": "account"}
    return _render(request, "portal/account.html", context, status=status)


# --- the customer's tickets --------------------------------------------------------------


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
    }
    return _render(request, "portal/tickets.html", context)


def _ticket(account: PortalAccount, number: int):
    try:
        return ticket_reads.ticket_get_for_customer(
            scope=selectors.account_scope(account), number=number
        )
    except NotFound as exc:
        raise _not_found(exc) from exc


def _ticket_page(
    request: HttpRequest,
    account: PortalAccount,
    ticket: Any,
    *,
    form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    scope = selectors.account_scope(account)
    own = ticket.customer_id == scope.customer_id
    context = {
        "nav": "tickets",
        "ticket": ticket,
        "messages_": ticket_reads.public_messages_for_customer(ticket=ticket),
        "own": own,
        "can_solve": ticket_reads.ticket_solvable_by_customer(scope=scope, ticket=ticket),
        "can_reply": own,
        "form": form or ReplyForm(initial={"form_token": form_token_issue()}, auto_id="reply-%s"),
    }
    return _render(request, "portal/ticket.html", context, status=status)


@require_GET
@customer_required
def ticket_detail(request: HttpRequest, account: PortalAccount, number: int) -> HttpResponse:
    return _ticket_page(request, account, _ticket(account, number))


@require_POST
@customer_required
def ticket_reply(request: HttpRequest, account: PortalAccount, number: int) -> HttpResponse:
    ticket = _ticket(account, number)
    if ticket.customer_id != selectors.account_scope(account).customer_id:
        raise Http404()
    form = ReplyForm(request.POST, request.FILES, auto_id="reply-%s")
    if form.is_valid():
        try:
            message = webform.portal_reply_receive(
                ticket_id=ticket.pk,
                customer_id=ticket.customer_id,
                text=form.cleaned_data["text"],
                attachments=webform.attachments_from_uploads(form.cleaned_data["attachments"]),
                form_token=form.cleaned_data["form_token"],
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            return redirect("portal:ticket", number=message.ticket.number)
    return _ticket_page(request, account, ticket, form=form, status=400)


@require_POST
@customer_required
def ticket_solve(request: HttpRequest, account: PortalAccount, number: int) -> HttpResponse:
    ticket = _ticket(account, number)
    try:
        ticket_services.ticket_solve_by_customer(
            ticket=ticket, customer_id=selectors.account_scope(account).customer_id
        )
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

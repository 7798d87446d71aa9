"""The help centre's public pages under /help/: the home page, the contact form (and its
embedded copy with the widget that opens it). Thin: forms check shape, the web form connector
does the work."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from nordesk.connectors.webform import services as webform
from nordesk.connectors.webform.spam import form_token_issue
from nordesk.core.errors import ApplicationError
from nordesk.customers import selectors as customer_selectors
from nordesk.kb import selectors as kb_selectors
from nordesk.tickets import selectors as ticket_selectors

from . import deflection, help_views, selectors
from .forms import ContactForm
from .pages import client_ip, render_page
from .session import portal_account

SESSION_LAST_TICKET = "portal_last_ticket"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    categories = kb_selectors.category_list_public(language=help_views.reader_language())
    context = {"nav": "home", "categories": categories}
    return render_page(request, "portal/help_home.html", context)


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
            ip=client_ip(request),
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
            help_views.form_visit_end(request)
            return redirect("portal:contact_done")
        context = {"form": _with_fresh_token(form), "nav": "contact"}
        return render_page(request, "portal/help_contact.html", context, status=status)
    form = _contact_form(request)
    help_views.form_visit(request)
    return render_page(request, "portal/help_contact.html", {"form": form, "nav": "contact"})


@require_GET
def contact_done(request: HttpRequest) -> HttpResponse:
    number = request.session.get(SESSION_LAST_TICKET)
    if number is None:
        return redirect("portal:contact")
    return render_page(request, "portal/contact_done.html", {"number": number})


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
        signed = request.POST.get("visit", "")
        visit = help_views.embed_visit_read(signed)
        if number is not None:
            if visit:
                deflection.form_visit_submitted(visit=visit)
            return _embed_headers(
                render_page(request, "portal/embed_done.html", {"number": number, "embed": True})
            )
        context = {
            "form": _with_fresh_token(form),
            "embed": True,
            "embed_visit": signed if visit else help_views.embed_visit_issue(),
        }
        return _embed_headers(
            render_page(request, "portal/embed_contact.html", context, status=status)
        )
    context = {
        "form": _contact_form(request),
        "embed": True,
        "embed_visit": help_views.embed_visit_issue(),
    }
    return _embed_headers(render_page(request, "portal/embed_contact.html", context))


@require_GET
def widget_js(request: HttpRequest) -> HttpResponse:
    context = {"embed_url": request.build_absolute_uri(reverse("portal:embed_contact"))}
    response = render(request, "portal/widget.js", context, content_type="text/javascript")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response

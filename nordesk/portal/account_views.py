"""Signing in to the portal (a mailed one-time link, or a password), out, and the account's
password."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nordesk.core.errors import ApplicationError

from . import services
from .forms import PasswordSetForm, PasswordSignInForm, SignInLinkForm
from .models import PortalAccount
from .pages import client_ip, render_page
from .session import customer_required, portal_session_refresh, portal_sign_in, portal_sign_out


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
    return render_page(request, "portal/sign_in.html", context, status=status)


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
                email=email, ip=client_ip(request), link_url=link_url, language=get_language()
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            return render_page(request, "portal/sign_in_sent.html", {"email": email})
    return _sign_in_page(request, link_form=form, status=400)


@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm, POST signs in: mail scanners that open links must not use them."""
    if request.method == "GET":
        return render_page(request, "portal/sign_in_confirm.html", {"nav": "sign_in"})
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
                ip=client_ip(request),
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
    return render_page(request, "portal/account.html", context, status=status)

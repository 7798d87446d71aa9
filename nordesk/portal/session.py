"""The portal's own session: the signed-in customer's account id under a key of its own in
Django's session, beside (never instead of) an agent's login. Django's `login` and
`request.user` never see it, so neither grants the other anything."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from . import selectors
from .models import PortalAccount

SESSION_ACCOUNT = "portal_account_id"
SESSION_CHECK = "portal_account_check"


def _check(account: PortalAccount) -> str:
    """Changes when the password does: a new password signs out the customer's other sessions."""
    return salted_hmac(
        "nordesk.portal.session", f"{account.pk}:{account.password}", algorithm="sha256"
    ).hexdigest()


def portal_sign_in(request: HttpRequest, account: PortalAccount) -> None:
    # A new session key: one fixed before signing in is worth nothing after it.
    request.session.cycle_key()
    request.session[SESSION_ACCOUNT] = account.pk
    request.session[SESSION_CHECK] = _check(account)


def portal_session_refresh(request: HttpRequest, account: PortalAccount) -> None:
    """After the customer changed their own password: this session stays signed in."""
    request.session[SESSION_CHECK] = _check(account)


def portal_sign_out(request: HttpRequest) -> None:
    """Only the portal's keys go: an agent signed in in the same browser stays signed in."""
    request.session.pop(SESSION_ACCOUNT, None)
    request.session.pop(SESSION_CHECK, None)
    request.session.cycle_key()


def portal_account(request: HttpRequest) -> PortalAccount | None:
    """The signed-in customer's account, read once per request."""
    if not hasattr(request, "_portal_account"):
        request._portal_account = _account_of_session(request)  # type: ignore[attr-defined]
    return request._portal_account  # type: ignore[attr-defined]


def _account_of_session(request: HttpRequest) -> PortalAccount | None:
    account_id = request.session.get(SESSION_ACCOUNT)
    if not isinstance(account_id, int):
        return None
    account = selectors.account_get(account_id=account_id)
    if account is None or not constant_time_compare(
        request.session.get(SESSION_CHECK, ""), _check(account)
    ):
        return None
    return account


def customer_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in to the portal: the view gets the account as its second argument. Otherwise
    the sign-in page, which comes back here afterwards."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        account = portal_account(request)
        if account is None:
            return redirect(f"{reverse('portal:sign_in')}?next={request.path}")
        return view(request, account, *args, **kwargs)

    return wrapper

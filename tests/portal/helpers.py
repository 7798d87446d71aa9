"""Customers signed in to the portal, and contact forms as a person sends them."""

import time

from django.core import signing
from django.test import Client

from nordesk.connectors.webform.spam import TOKEN_SALT
from nordesk.portal import services as portal_services
from nordesk.portal.models import PortalAccount
from nordesk.portal.session import SESSION_ACCOUNT, SESSION_CHECK, _check


def aged_token(seconds: float = 30, nonce: str = "") -> str:
    """A form token as if the form had been open for `seconds`."""
    return signing.dumps(
        {"n": nonce or f"n{time.monotonic_ns()}", "t": time.time() - seconds}, salt=TOKEN_SALT
    )


def signed_in(client: Client, customer) -> PortalAccount:
    """`client` signed in to the portal as `customer` (what a used sign-in link leaves)."""
    account = portal_services.account_for_customer(customer_id=customer.pk)
    session = client.session
    session[SESSION_ACCOUNT] = account.pk
    session[SESSION_CHECK] = _check(account)
    session.save()
    return account


def contact_data(**changes) -> dict:
    data = {
        "name": "Nina Berg",
        "email": "nina@example.se",
        "subject": "Kan inte logga in",
        "description": "Jag får ett felmeddelande när jag loggar in.",
        "form_token": aged_token(),
        "website": "",
    }
    data.update(changes)
    return data

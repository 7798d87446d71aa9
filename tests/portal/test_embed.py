"""The widget for the company's own site: a script that opens the chrome-less contact form in
a frame, which only that form and only the configured sites may do."""

import pytest

from nordesk.tickets.models import Ticket
from tests.portal.helpers import contact_data

pytestmark = pytest.mark.django_db


def test_widget_script_opens_the_embedded_form_of_this_server(client):
    response = client.get("/help/widget.js")

    script = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript")
    assert "http://testserver/help/embed/contact/" in script
    assert "Contact us" in script
    assert "<script" not in script  # it loads nothing else


def test_only_the_embedded_form_may_be_framed_by_the_allowed_sites(client, settings):
    settings.PORTAL_EMBED_ORIGINS = ["https://www.example.no", "https://shop.example.no"]

    embed = client.get("/help/embed/contact/")

    assert embed["Content-Security-Policy"] == (
        "frame-ancestors 'self' https://www.example.no https://shop.example.no"
    )
    assert "X-Frame-Options" not in embed
    for url in ("/help/", "/help/contact/", "/help/sign-in/"):
        page = client.get(url)
        assert page["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors" not in page.get("Content-Security-Policy", ""), url


def test_without_allowed_sites_the_embedded_form_frames_only_here(client):
    assert client.get("/help/embed/contact/")["Content-Security-Policy"] == (
        "frame-ancestors 'self'"
    )


def test_the_embedded_form_has_no_portal_chrome_and_makes_a_ticket(client):
    page = client.get("/help/embed/contact/").content.decode()
    assert "portal-header" not in page
    assert "Sign in" not in page

    # a frame on another site gets no cookies of ours: no CSRF cookie either
    strict = client.__class__(enforce_csrf_checks=True)
    response = strict.post("/help/embed/contact/", contact_data())

    assert response.status_code == 200
    ticket = Ticket.objects.get()
    assert f"Your request number is {ticket.number}" in response.content.decode()
    assert "frame-ancestors" in response["Content-Security-Policy"]


def test_the_embedded_form_keeps_its_spam_checks(client):
    response = client.post("/help/embed/contact/", contact_data(website="spam"))

    assert response.status_code == 400
    assert "must stay empty" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_help_centre_form_still_wants_its_csrf_token(people):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/help/contact/", contact_data())

    assert response.status_code == 403

"""The help centre's front page: in the customer's language, under the company's brand."""

import pytest

from nordesk.connectors.email import services as email_services

pytestmark = pytest.mark.django_db


def test_home_speaks_the_browsers_language(client):
    page = client.get("/help/", HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9,en;q=0.5")

    assert '<html lang="sv">' in page.content.decode()


def test_the_language_switcher_choice_is_kept_in_a_cookie(client):
    page = client.get("/help/").content.decode()
    assert 'action="/i18n/setlang/"' in page

    response = client.post("/i18n/setlang/", {"language": "nn", "next": "/help/contact/"})

    assert response["Location"] == "/help/contact/"
    assert response.cookies["django_language"].value == "nn"
    again = client.get("/help/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert '<html lang="nn">' in again


def test_home_offers_the_contact_form_and_sign_in(client):
    page = client.get("/help/").content.decode()

    assert 'href="/help/contact/"' in page
    assert 'href="/help/sign-in/"' in page
    assert "Nordlys help centre" in page


def test_the_brand_comes_from_the_first_mailbox_without_a_setting(client, settings):
    settings.PORTAL_BRAND = ""
    email_services.mailbox_create(
        name="Fjordkraft", address="hjelp@fjordkraft.no", inbound="webhook"
    )

    assert "Fjordkraft help centre" in client.get("/help/").content.decode()

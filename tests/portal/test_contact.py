"""The contact form as a customer uses it: a ticket through the pipeline, refusals that say
what to do and keep what was typed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nordesk.portal import services as portal_services
from nordesk.tickets.models import CustomFieldDefinition, Ticket
from tests.portal.helpers import contact_data, signed_in

pytestmark = pytest.mark.django_db
URL = "/help/contact/"


def test_contact_page_asks_the_admins_categories_and_fields(client):
    CustomFieldDefinition.objects.create(key="order", label="Order number", kind="number")
    CustomFieldDefinition.objects.create(key="hidden", label="Internal code", kind="text")
    portal_services.contact_form_settings_update(
        categories=["Billing", "Login"], field_keys=["order"]
    )

    page = client.get(URL).content.decode()

    assert "Order number" in page
    assert "Internal code" not in page
    assert '<option value="Billing">Billing</option>' in page
    assert 'name="website"' in page  # the honeypot
    assert "choose the files again" in page


def test_contact_form_opens_a_web_ticket_and_confirms_it(client):
    portal_services.contact_form_settings_update(categories=["Login"], field_keys=[])
    upload = SimpleUploadedFile("logg.txt", b"feil 500", "text/plain")

    response = client.post(URL, contact_data(category="Login", attachments=[upload]))

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.channel, ticket.category) == ("web", "Login")
    assert ticket.messages.get().attachments.get().filename == "logg.txt"
    done = client.get(response["Location"]).content.decode()
    assert f"Your request number is {ticket.number}" in done
    assert "sign in with the same email address" in done


def test_contact_form_fills_in_a_signed_in_customer(client, people):
    signed_in(client, people.sofie)

    page = client.get(URL).content.decode()

    assert 'value="sofie@example.no"' in page
    assert 'value="Sofie Lund"' in page


def test_contact_form_refuses_a_bad_custom_field_and_keeps_the_text(client):
    CustomFieldDefinition.objects.create(
        key="order", label="Order number", kind="number", required=True
    )
    portal_services.contact_form_settings_update(categories=[], field_keys=["order"])

    response = client.post(URL, contact_data(field_order="", description="Min tekst står igjen"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Order number is required." in page
    assert "Min tekst står igjen" in page
    assert not Ticket.objects.exists()


def test_contact_form_refuses_an_oversized_file_and_keeps_the_text(client, settings):
    settings.PORTAL_MAX_FILE_BYTES = 100
    upload = SimpleUploadedFile("stor.pdf", b"%PDF" + b"0" * 200, "application/pdf")

    response = client.post(URL, contact_data(subject="Min overskrift", attachments=[upload]))

    page = response.content.decode()
    assert response.status_code == 400
    assert "stor.pdf is larger than 100\xa0bytes: it was not sent." in page
    assert 'value="Min overskrift"' in page
    assert "choose the files again" in page
    assert not Ticket.objects.exists()


def test_contact_form_refuses_too_many_files(client, settings):
    settings.PORTAL_MAX_FILES = 1
    files = [SimpleUploadedFile(f"{n}.txt", b"x", "text/plain") for n in range(2)]

    response = client.post(URL, contact_data(attachments=files))

    assert "Attach at most 1 files to one message." in response.content.decode()
    assert not Ticket.objects.exists()


def test_contact_form_requires_a_category_when_there_are_some(client):
    portal_services.contact_form_settings_update(categories=["Billing"], field_keys=[])

    response = client.post(URL, contact_data())

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_contact_form_says_why_a_filled_honeypot_is_refused(client):
    response = client.post(URL, contact_data(website="http://spam.example"))

    assert response.status_code == 400
    assert "a field that must stay empty was filled in" in response.content.decode()
    assert not Ticket.objects.exists()


def test_contact_form_sent_too_fast_is_refused_and_can_be_sent_again(client, settings):
    settings.PORTAL_FORM_MIN_SECONDS = 3
    fresh = client.get(URL).context["form"].initial["form_token"]

    response = client.post(URL, contact_data(form_token=fresh, description="Beholdt"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "a moment after it opened" in page
    assert "Beholdt" in page
    assert response.context["form"].data["form_token"] != fresh  # a new token to send with
    assert not Ticket.objects.exists()


def test_contact_form_over_the_address_limit_is_refused_with_429(client, settings):
    settings.PORTAL_FORM_PER_ADDRESS_HOUR = 1
    client.post(URL, contact_data())

    response = client.post(URL, contact_data())

    assert response.status_code == 429
    assert "Please wait an hour" in response.content.decode()
    assert Ticket.objects.count() == 1


def test_public_pages_cost_at_most_ten_queries(client, django_assert_max_num_queries):
    CustomFieldDefinition.objects.create(key="order", label="Order number", kind="number")
    portal_services.contact_form_settings_update(categories=["Login"], field_keys=["order"])
    for url in ("/help/", URL, "/help/embed/contact/", "/help/sign-in/", "/help/widget.js"):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200, url
    # sending goes through the whole intake pipeline (routing, SLA, triggers): not a page
    sent = client.post(URL, contact_data(category="Login", field_order="7"))
    with django_assert_max_num_queries(10):
        assert client.get(sent["Location"]).status_code == 200


def test_behind_a_proxy_the_ip_limit_counts_visitors(client, settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.PORTAL_FORM_PER_IP_HOUR = 1

    def send(forwarded: str, email: str):
        return client.post(
            URL, contact_data(email=email), HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.9"
        )

    assert send("198.51.100.7, 203.0.113.1", "a@example.no").status_code == 302
    assert send("198.51.100.7, 203.0.113.2", "b@example.no").status_code == 302  # another visitor
    assert send("203.0.113.2", "c@example.no").status_code == 429

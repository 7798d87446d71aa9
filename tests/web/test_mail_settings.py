"""Mailboxes and the mail quarantine in the agent workspace, through Django's test client:
admins only (everyone else gets 404), passwords never echoed, secrets shown once."""

import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from nordesk.accounts import services as account_services
from nordesk.connectors.email import services as email_services
from nordesk.connectors.email.models import Mailbox, RawEmail, RawStatus
from nordesk.tickets.models import Ticket
from tests.connectors.email.builders import MAILBOX_ADDRESS, many_parts

pytestmark = pytest.mark.django_db

ADDRESS = MAILBOX_ADDRESS
PASSWORD = "imap-Secret-2026!"


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def astrid_client(client, people):
    client.force_login(people.astrid.user)
    # at work a moment ago: a page costs no "last seen" write (one a minute at most)
    account_services.agent_seen(user_id=people.astrid.user_id, at=timezone.now())
    return client


@pytest.fixture
def mailbox(people) -> Mailbox:
    return email_services.mailbox_create(
        name="Nordesk kundeservice",
        address=ADDRESS,
        team_id=people.billing.pk,
        imap_host="imap.nordesk.test",
        imap_username="support",
        imap_password=PASSWORD,
    )


@pytest.fixture
def quarantined(mailbox) -> RawEmail:
    result = email_services.mail_ingest(mailbox=mailbox, raw=many_parts(600), source="imap")
    assert result.status == RawStatus.QUARANTINED
    return RawEmail.objects.get(pk=result.raw_id)


def _form_data(**changes) -> dict:
    data = {
        "name": "Nordesk Sverige",
        "address": "kundtjanst@nordesk.test",
        "signature": "Med vänliga hälsningar\nNordesk",
        "team": "",
        "language": "sv",
        "auto_acknowledge": "on",
        "is_active": "on",
        "inbound": "imap",
        "imap_host": "imap.nordesk.test",
        "imap_port": "993",
        "imap_security": "ssl",
        "imap_username": "kundtjanst",
        "imap_password": PASSWORD,
        "imap_folder": "INBOX",
        "after_fetch": "move",
        "processed_folder": "Nordesk/Processed",
        "poll_seconds": "60",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- access ---------------------------------------------------------------------------------

PAGES = [
    ("get", "web:mailboxes", False),
    ("get", "web:mailbox_create", False),
    ("post", "web:mailbox_create", False),
    ("get", "web:mailbox_edit", "mailbox"),
    ("post", "web:mailbox_edit", "mailbox"),
    ("post", "web:mailbox_webhook_secret", "mailbox"),
    ("get", "web:quarantine", False),
    ("get", "web:quarantine_raw", "raw"),
    ("post", "web:quarantine_retry", "raw"),
    ("post", "web:quarantine_discard", "raw"),
]


def _url(name: str, arg, mailbox: Mailbox, raw: RawEmail) -> str:
    if arg == "mailbox":
        return reverse(name, args=[mailbox.pk])
    if arg == "raw":
        return reverse(name, args=[raw.pk])
    return reverse(name)


@pytest.mark.parametrize("persona", ["siri", "kari", "lars"])
@pytest.mark.parametrize(("method", "name", "arg"), PAGES)
def test_settings_pages_are_404_for_everyone_but_admins(
    client, people, mailbox, quarantined, persona, method, name, arg
):
    client.force_login(getattr(people, persona).user)
    digest = mailbox.webhook_secret_digest

    response = getattr(client, method)(
        _url(name, arg, mailbox, quarantined),
        _form_data(reason="Søppel") if method == "post" else {},
    )

    assert response.status_code == 404
    assert Mailbox.objects.count() == 1
    mailbox.refresh_from_db()
    assert (mailbox.name, mailbox.webhook_secret_digest) == ("Nordesk kundeservice", digest)
    assert RawEmail.objects.get(pk=quarantined.pk).status == RawStatus.QUARANTINED


@pytest.mark.parametrize(("method", "name", "arg"), PAGES)
def test_settings_pages_require_login(client, mailbox, quarantined, method, name, arg):
    response = getattr(client, method)(_url(name, arg, mailbox, quarantined))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_navigation_links_to_settings_for_admins_only(client, people):
    links = (reverse("web:mailboxes"), reverse("web:quarantine"))

    client.force_login(people.kari.user)
    kari_page = _text(client.get("/"))
    client.force_login(people.astrid.user)
    astrid_page = _text(client.get("/"))

    assert not any(link in kari_page for link in links)
    assert all(f'href="{link}"' in astrid_page for link in links)
    mailboxes_page = _text(client.get(reverse("web:mailboxes")))
    assert f'href="{links[0]}" aria-current="page">Mailboxes</a>' in mailboxes_page


# --- mailboxes ------------------------------------------------------------------------------


def test_mailbox_list_shows_how_each_mailbox_is_doing(astrid_client, people, mailbox):
    # given the last poll failed, and a second mailbox receives by webhook
    email_services.mailbox_poll_record(mailbox=mailbox, error="LOGIN failed: bad password")
    email_services.mailbox_create(
        name="Nordesk Danmark", address="kundeservice@nordesk.test", inbound="webhook"
    )

    page = _text(astrid_client.get(reverse("web:mailboxes")))

    row = re.search(rf'<tr id="mailbox-{mailbox.pk}">(.*?)</tr>', page, re.S)
    assert row
    cells = re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", row.group(1), re.S)
    assert "Nordesk kundeservice" in cells[0]
    assert cells[1:5] == [ADDRESS, "IMAP polling", "Billing", "Yes"]
    assert "<time" in cells[5]
    assert cells[6] == "LOGIN failed: bad password"
    assert "HTTP endpoint (raw MIME)" in page
    assert "Not polled" in page
    assert PASSWORD not in page


def test_mailbox_list_query_count_does_not_grow(astrid_client, people, django_assert_num_queries):
    for n in range(5):
        email_services.mailbox_create(
            name=f"Merke {n}", address=f"merke{n}@nordesk.test", team_id=people.billing.pk
        )

    # session, user, agent, unread notifications, mailboxes with their teams
    with django_assert_num_queries(5):
        astrid_client.get(reverse("web:mailboxes"))


def test_admin_creates_a_mailbox(astrid_client, people):
    # when
    response = astrid_client.post(
        reverse("web:mailbox_create"), _form_data(team=str(people.billing.pk)), follow=True
    )

    # then: back on the list, which shows it, and every field is stored
    assert response.redirect_chain == [(reverse("web:mailboxes"), 302)]
    page = _text(response)
    assert "Mailbox Nordesk Sverige created." in page
    assert "kundtjanst@nordesk.test" in page
    mailbox = Mailbox.objects.get(address="kundtjanst@nordesk.test")
    assert (mailbox.name, mailbox.team_id, mailbox.language) == (
        "Nordesk Sverige",
        people.billing.pk,
        "sv",
    )
    assert mailbox.signature == "Med vänliga hälsningar\nNordesk"
    assert (mailbox.auto_acknowledge, mailbox.trusted, mailbox.is_active) == (True, False, True)
    assert (mailbox.imap_host, mailbox.imap_username, mailbox.poll_seconds) == (
        "imap.nordesk.test",
        "kundtjanst",
        60,
    )
    # the password is stored encrypted, and readable by the poller
    assert PASSWORD not in mailbox.imap_password_encrypted
    assert email_services.mailbox_imap_password(mailbox) == PASSWORD


def test_new_mailbox_form_offers_defaults_and_no_password(astrid_client):
    page = _text(astrid_client.get(reverse("web:mailbox_create")))

    assert 'name="imap_port" value="993"' in page
    assert 'name="imap_password" autocomplete="new-password"' in page
    assert "forget_password" not in page
    assert 'name="is_active" id="mailbox-is_active" checked' in page


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"address": "ikke-en-adresse"}, "address", "Enter a valid email address."),
        ({"imap_host": ""}, "imap_host", "Enter the IMAP server to poll."),
        ({"imap_port": "70000"}, "imap_port", "less than or equal to 65535"),
        ({"poll_seconds": "5"}, "poll_seconds", "greater than or equal to 15"),
        ({"inbound": "pigeon"}, "inbound", "Select a valid choice."),
    ],
)
def test_mailbox_form_errors_are_shown_and_nothing_is_stored(astrid_client, changes, field, error):
    response = astrid_client.post(reverse("web:mailbox_create"), _form_data(**changes))

    page = _text(response)
    assert response.status_code == 200
    assert error in page
    assert 'aria-invalid="true"' in page
    assert f'id="mailbox-{field}_error"' in page
    assert not Mailbox.objects.exists()
    # what was typed comes back, the password never
    assert PASSWORD not in page


def test_imap_fields_are_optional_for_other_inbound_ways(astrid_client):
    response = astrid_client.post(
        reverse("web:mailbox_create"),
        _form_data(inbound="webhook", imap_host="", imap_username="", imap_password=""),
    )

    assert response.status_code == 302
    mailbox = Mailbox.objects.get()
    assert (mailbox.inbound, mailbox.imap_password_encrypted) == ("webhook", "")


def test_mailbox_address_taken_shows_the_services_reason(astrid_client, mailbox):
    response = astrid_client.post(reverse("web:mailbox_create"), _form_data(address=ADDRESS))

    page = _text(response)
    assert response.status_code == 200
    assert "Another mailbox already has this address." in page
    assert 'id="mailbox-address_error"' in page
    assert Mailbox.objects.count() == 1
    assert PASSWORD not in page


def test_mailbox_edit_never_renders_the_stored_password(astrid_client, mailbox):
    page = _text(astrid_client.get(reverse("web:mailbox_edit", args=[mailbox.pk])))

    assert PASSWORD not in page
    assert mailbox.imap_password_encrypted not in page
    [password_input] = re.findall(r"<input[^>]*name=\"imap_password\"[^>]*>", page)
    assert "value=" not in password_input
    assert "A password is stored. Leave blank to keep it." in page
    assert 'value="Nordesk kundeservice"' in page
    assert f'value="{ADDRESS}"' in page
    assert "disabled" in re.findall(r"<input[^>]*name=\"address\"[^>]*>", page)[0]


def test_mailbox_edit_with_blank_password_keeps_it(astrid_client, people, mailbox):
    url = reverse("web:mailbox_edit", args=[mailbox.pk])

    response = astrid_client.post(
        url,
        _form_data(
            name="Nordesk Norge",
            address="forsok@paa-ny.example",  # disabled on the page: ignored
            imap_password="",
            team=str(people.technical.pk),
            is_active=None,
        ),
        follow=True,
    )

    assert "Mailbox Nordesk Norge saved." in _text(response)
    mailbox.refresh_from_db()
    assert (mailbox.name, mailbox.address, mailbox.team_id, mailbox.is_active) == (
        "Nordesk Norge",
        ADDRESS,
        people.technical.pk,
        False,
    )
    assert email_services.mailbox_imap_password(mailbox) == PASSWORD


def test_mailbox_edit_changes_or_removes_the_password(astrid_client, mailbox):
    url = reverse("web:mailbox_edit", args=[mailbox.pk])

    astrid_client.post(url, _form_data(address=None, imap_password="nytt-passord"))
    mailbox.refresh_from_db()
    assert email_services.mailbox_imap_password(mailbox) == "nytt-passord"

    astrid_client.post(url, _form_data(address=None, imap_password="", forget_password="on"))
    mailbox.refresh_from_db()
    assert mailbox.imap_password_encrypted == ""
    page = _text(astrid_client.get(url))
    assert "No password is stored." in page
    assert "forget_password" not in page  # nothing left to remove


def test_mailbox_edit_of_unknown_mailbox_is_404(astrid_client):
    assert astrid_client.get(reverse("web:mailbox_edit", args=[9999])).status_code == 404


def test_webhook_secret_is_shown_once_and_opens_the_endpoint(astrid_client, mailbox):
    url = reverse("web:mailbox_edit", args=[mailbox.pk])
    endpoint = f"http://testserver/api/v1/mail/inbound/{mailbox.pk}"
    assert "No secret is set yet" in _text(astrid_client.get(url))

    # when the admin asks for a new secret
    response = astrid_client.post(reverse("web:mailbox_webhook_secret", args=[mailbox.pk]))

    # then this response shows it with the endpoint, and nothing may cache it
    page = _text(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'<code id="webhook-secret-value" class="secret">([^<]+)</code>', page)
    assert secret
    assert f'<code id="webhook-secret-endpoint" class="secret">{endpoint}</code>' in page
    mailbox.refresh_from_db()
    assert mailbox.webhook_secret_digest == hashlib.sha256(secret.group(1).encode()).hexdigest()
    assert f'name="next" type="hidden" value="{url}"' in page  # the language switcher

    # and never again
    later = _text(astrid_client.get(url))
    assert secret.group(1) not in later
    assert "A secret is set." in later
    assert endpoint in later

    # the secret is the one the endpoint takes
    delivered = astrid_client.post(
        endpoint,
        many_parts(3),
        content_type="message/rfc822",
        HTTP_AUTHORIZATION=f"Bearer {secret.group(1)}",
    )
    assert delivered.status_code == 202
    assert Ticket.objects.filter(subject="Mange deler").exists()


def test_webhook_secret_is_post_only(astrid_client, mailbox):
    url = reverse("web:mailbox_webhook_secret", args=[mailbox.pk])

    assert astrid_client.get(url).status_code == 405
    mailbox.refresh_from_db()
    assert mailbox.webhook_secret_digest == ""


# --- quarantine -----------------------------------------------------------------------------


def test_quarantine_lists_what_waits(astrid_client, mailbox, quarantined):
    page = _text(astrid_client.get(reverse("web:quarantine")))

    row = re.search(rf'<tr id="raw-{quarantined.pk}">(.*?)</tr>', page, re.S)
    assert row
    assert "<time datetime=" in row.group(1)
    assert "Nordesk kundeservice" in row.group(1)
    assert "KB</td>" in row.group(1)
    assert "more than 500 MIME parts" in row.group(1)
    assert reverse("web:quarantine_raw", args=[quarantined.pk]) in row.group(1)
    assert f'id="discard-{quarantined.pk}-reason"' in row.group(1)
    assert "Del 1 av fakturaen" not in page  # the message itself is never shown


def test_quarantine_page_when_empty(astrid_client):
    assert "The quarantine is empty." in _text(astrid_client.get(reverse("web:quarantine")))


def test_quarantine_query_count_does_not_grow_with_rows(
    astrid_client, mailbox, quarantined, django_assert_num_queries
):
    other = email_services.mailbox_create(name="Annen", address="annen@nordesk.test")
    for n in range(5):
        email_services.mail_ingest(
            mailbox=other, raw=many_parts(600 + n, to=other.address), source="imap"
        )
    assert RawEmail.objects.filter(status=RawStatus.QUARANTINED).count() == 6

    # session, user, agent, unread notifications, rows with their mailboxes, count
    with django_assert_num_queries(6):
        page = _text(astrid_client.get(reverse("web:quarantine")))
    assert page.count('<tr id="raw-') == 6


def test_quarantine_raw_is_a_download_never_a_page(astrid_client, quarantined):
    response = astrid_client.get(reverse("web:quarantine_raw", args=[quarantined.pk]))

    assert response.status_code == 200
    assert response.content == many_parts(600)
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == f'attachment; filename="message-{quarantined.pk}.eml"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_quarantine_unknown_message_is_404(astrid_client):
    for name in ("web:quarantine_raw", "web:quarantine_retry", "web:quarantine_discard"):
        method = astrid_client.get if name.endswith("raw") else astrid_client.post
        assert method(reverse(name, args=[9999])).status_code == 404


def test_quarantine_discard_needs_a_reason_and_says_so_by_the_form(astrid_client, quarantined):
    url = reverse("web:quarantine_discard", args=[quarantined.pk])

    # when an empty reason is sent, the form says so
    empty = _text(astrid_client.post(url, {"reason": ""}))
    assert "This field is required." in empty

    # when only spaces are sent, the service refuses, and its reason shows by the field
    response = astrid_client.post(url, {"reason": "   "})
    page = _text(response)
    assert response.status_code == 200
    form = re.search(rf'<form id="discard-{quarantined.pk}".*?</form>', page, re.S)
    assert form
    assert "Say why the message is discarded." in form.group(0)
    assert RawEmail.objects.get(pk=quarantined.pk).status == RawStatus.QUARANTINED


def test_quarantine_discard_with_a_reason_removes_it_from_the_list(astrid_client, quarantined):
    response = astrid_client.post(
        reverse("web:quarantine_discard", args=[quarantined.pk]),
        {"reason": "Søppelpost"},
        follow=True,
    )

    page = _text(response)
    assert response.redirect_chain == [(reverse("web:quarantine"), 302)]
    assert "The message was discarded." in page
    assert f'id="raw-{quarantined.pk}"' not in page
    raw = RawEmail.objects.get(pk=quarantined.pk)
    assert (raw.status, raw.reason) == (RawStatus.DISCARDED, "Søppelpost")


def test_quarantine_discard_of_a_message_already_handled_shows_why(astrid_client, quarantined):
    email_services.quarantine_discard(raw_email=quarantined, reason="Søppelpost")

    response = astrid_client.post(
        reverse("web:quarantine_discard", args=[quarantined.pk]), {"reason": "Igjen"}
    )

    page = _text(response)
    assert response.status_code == 200
    assert (
        '<p class="alert alert--error" role="alert">Only quarantined messages can be discarded.'
        in (page)
    )
    assert RawEmail.objects.get(pk=quarantined.pk).reason == "Søppelpost"


def test_quarantine_retry_after_a_fix_imports_the_message(astrid_client, quarantined, monkeypatch):
    monkeypatch.setattr("nordesk.connectors.email.parse.MAX_PARTS", 1000)

    response = astrid_client.post(
        reverse("web:quarantine_retry", args=[quarantined.pk]), follow=True
    )

    ticket = Ticket.objects.get(subject="Mange deler")
    page = _text(response)
    assert f"The message was imported into ticket #{ticket.number}." in page
    assert f'id="raw-{quarantined.pk}"' not in page
    assert RawEmail.objects.get(pk=quarantined.pk).status == RawStatus.PROCESSED


def test_quarantine_retry_that_fails_again_says_why_by_its_row(astrid_client, quarantined):
    response = astrid_client.post(reverse("web:quarantine_retry", args=[quarantined.pk]))

    page = _text(response)
    assert response.status_code == 200
    form = re.search(rf'<form id="retry-{quarantined.pk}".*?</form>', page, re.S)
    assert form
    assert "Still quarantined: more than 500 MIME parts" in form.group(0)
    assert RawEmail.objects.get(pk=quarantined.pk).status == RawStatus.QUARANTINED
    assert not Ticket.objects.filter(subject="Mange deler").exists()

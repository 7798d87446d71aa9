"""The mail API as an admin or an integrator meets it: mailboxes, the raw-MIME endpoint a
provider posts to, and the quarantine."""

import json

import pytest
from django.db import OperationalError
from django.test import Client

from nordesk.connectors.email import services
from nordesk.connectors.email.models import Mailbox, RawEmail, RawStatus
from nordesk.tickets.models import Message, Ticket
from tests.connectors.email import builders
from tests.connectors.email.builders import MAILBOX_ADDRESS, many_parts
from tests.factories import token_client
from tests.http import assert_problem, json_patch, json_post

pytestmark = pytest.mark.django_db

API = "/api/v1"
MAIL = f"{API}/mail"
IMAP_PASSWORD = "hemmelig-imap-passord-81"
TEXT = "Hei!\n\nFakturaen for september viser feil beløp. Kan dere sende en ny?\n\nMvh\nNora"


def post(client, path, body):
    return json_post(client, f"{MAIL}{path}", body)


def patch(client, path, body):
    return json_patch(client, f"{MAIL}{path}", body)


def error_fields(body) -> set[str]:
    return {error["field"] for error in body["errors"]}


def mail(*, message_id: str = "<faktura-1@example.no>", text: str = TEXT, to=MAILBOX_ADDRESS):
    return builders.mail(message_id=message_id, text=text, to=to)


def deliver(mailbox_id: int, raw: bytes, **headers):
    """What an inbound-mail provider does: one raw message as the request body."""
    return Client(**headers).post(
        f"{MAIL}/inbound/{mailbox_id}", data=raw, content_type="message/rfc822"
    )


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def admin(people):
    return token_client(people.astrid)


@pytest.fixture
def mailbox(people) -> Mailbox:
    return services.mailbox_create(
        name="Nordesk kundeservice",
        address="support@nordesk.test",
        team_id=people.billing.pk,
        language="nb",
        inbound="webhook",
    )


@pytest.fixture
def secret(admin, mailbox) -> str:
    response = admin.post(f"{MAIL}/mailboxes/{mailbox.pk}/webhook-secret")
    assert response.status_code == 201, response.content
    return response.json()["secret"]


# --- mailboxes -----------------------------------------------------------------------------


def test_admin_creates_lists_and_updates_a_mailbox(people, admin):
    # when Astrid creates a mailbox with an IMAP password
    created = post(
        admin,
        "/mailboxes",
        {
            "name": "Fjordkraft kundeservice",
            "address": "Kundeservice@Fjordkraft.no",
            "team": people.billing.pk,
            "language": "nb",
            "imap_host": "imap.fjordkraft.no",
            "imap_username": "kundeservice",
            "imap_password": IMAP_PASSWORD,
        },
    )

    # then it exists, the address normalised, and the password is never given back
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["address"] == "kundeservice@fjordkraft.no"
    assert body["team_id"] == people.billing.pk
    assert body["has_imap_password"] is True
    assert body["has_webhook_secret"] is False
    assert IMAP_PASSWORD not in created.content.decode()
    assert not any("password_encrypted" in key or key == "imap_password" for key in body)
    mailbox = Mailbox.objects.get(pk=body["id"])
    assert services.mailbox_imap_password(mailbox) == IMAP_PASSWORD
    assert IMAP_PASSWORD not in mailbox.imap_password_encrypted

    # and the list shows it, without the password either
    listed = admin.get(f"{MAIL}/mailboxes")
    assert listed.status_code == 200
    assert [m["id"] for m in listed.json()] == [body["id"]]
    assert IMAP_PASSWORD not in listed.content.decode()
    assert mailbox.imap_password_encrypted not in listed.content.decode()

    # when she changes the brand name, the team and the poll interval
    updated = patch(
        admin,
        f"/mailboxes/{body['id']}",
        {"name": "Fjordkraft", "team": people.technical.pk, "poll_seconds": 300},
    )

    # then only those change
    assert updated.status_code == 200, updated.content
    after = updated.json()
    assert (after["name"], after["team_id"], after["poll_seconds"]) == (
        "Fjordkraft",
        people.technical.pk,
        300,
    )
    assert after["imap_host"] == "imap.fjordkraft.no"
    assert after["has_imap_password"] is True
    mailbox.refresh_from_db()
    assert (mailbox.name, mailbox.team_id, mailbox.poll_seconds) == (
        "Fjordkraft",
        people.technical.pk,
        300,
    )


def test_patch_new_imap_password_is_stored_encrypted_and_not_returned(admin, mailbox):
    response = patch(admin, f"/mailboxes/{mailbox.pk}", {"imap_password": IMAP_PASSWORD})

    assert response.status_code == 200, response.content
    assert response.json()["has_imap_password"] is True
    assert IMAP_PASSWORD not in response.content.decode()
    mailbox.refresh_from_db()
    assert services.mailbox_imap_password(mailbox) == IMAP_PASSWORD


def test_patch_team_null_clears_the_default_team(admin, mailbox):
    response = patch(admin, f"/mailboxes/{mailbox.pk}", {"team": None})

    assert response.status_code == 200, response.content
    assert response.json()["team_id"] is None
    mailbox.refresh_from_db()
    assert mailbox.team_id is None


@pytest.mark.parametrize(
    "extra",
    [
        {"is_staff": True},
        {"imap_password_encrypted": "x"},
        {"webhook_secret_digest": "0" * 64},
        {"imap_last_uid": 10_000},
        {"id": 999},
    ],
)
def test_create_with_a_field_not_in_the_form_is_refused(admin, extra):
    response = post(admin, "/mailboxes", {"name": "Salg", "address": "salg@nordesk.test", **extra})

    body = assert_problem(response, 422, "validation_failed")
    assert error_fields(body) == set(extra)
    assert not Mailbox.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"imap_password_encrypted": "x"},
        {"webhook_secret_digest": "0" * 64},
        {"address": "annen@nordesk.test"},
        {"is_staff": True},
    ],
)
def test_update_with_a_field_not_in_the_form_is_refused(admin, mailbox, extra):
    response = patch(admin, f"/mailboxes/{mailbox.pk}", {"name": "Nytt navn", **extra})

    assert_problem(response, 422, "validation_failed")
    mailbox.refresh_from_db()
    assert mailbox.name == "Nordesk kundeservice"
    assert mailbox.address == "support@nordesk.test"
    assert mailbox.imap_password_encrypted == ""
    assert mailbox.webhook_secret_digest == ""


@pytest.mark.parametrize("address", ["ikke-en-adresse", "support@", "a b@nordesk.test"])
def test_create_with_an_invalid_address_names_the_field(admin, address):
    response = post(admin, "/mailboxes", {"name": "Salg", "address": address})

    body = assert_problem(response, 422, "invalid")
    assert error_fields(body) == {"address"}
    assert not Mailbox.objects.exists()


def test_create_with_a_too_short_address_names_the_field(admin):
    body = assert_problem(
        post(admin, "/mailboxes", {"name": "Salg", "address": "a"}), 422, "validation_failed"
    )
    assert error_fields(body) == {"address"}


def test_create_with_an_address_another_mailbox_has_is_refused(admin, mailbox):
    # the same address in other case is the same address
    response = post(admin, "/mailboxes", {"name": "Kopi", "address": "Support@Nordesk.TEST"})

    body = assert_problem(response, 422, "invalid")
    assert error_fields(body) == {"address"}
    assert Mailbox.objects.count() == 1


def test_create_with_a_team_that_does_not_exist_is_422(admin):
    response = post(admin, "/mailboxes", {"name": "Salg", "address": "s@nordesk.test", "team": 987})

    body = assert_problem(response, 422, "invalid")
    assert error_fields(body) == {"team"}
    assert not Mailbox.objects.exists()


def test_update_to_a_team_that_does_not_exist_is_422(admin, mailbox, people):
    response = patch(admin, f"/mailboxes/{mailbox.pk}", {"team": 987})

    body = assert_problem(response, 422, "invalid")
    assert error_fields(body) == {"team"}
    mailbox.refresh_from_db()
    assert mailbox.team_id == people.billing.pk


def test_team_id_beyond_the_database_range_is_422(admin):
    response = post(
        admin, "/mailboxes", {"name": "Salg", "address": "s@nordesk.test", "team": 2**70}
    )
    assert_problem(response, 422, "validation_failed")


@pytest.mark.parametrize(
    "field",
    [
        "auto_acknowledge",
        "trusted",
        "is_active",
        "imap_port",
        "imap_security",
        "imap_username",
        "imap_folder",
        "after_fetch",
        "processed_folder",
        "poll_seconds",
    ],
)
def test_update_with_null_for_a_required_field_is_422_not_500(admin, mailbox, field):
    """Leaving a field out keeps it; null is not a value these fields can hold."""
    response = patch(admin, f"/mailboxes/{mailbox.pk}", {field: None})

    body = assert_problem(response, 422, "validation_failed")
    assert error_fields(body) == {field}


def test_update_of_an_unknown_mailbox_is_404(admin):
    assert_problem(patch(admin, "/mailboxes/98765", {"name": "x"}), 404, "mailbox_not_found")
    assert_problem(admin.post(f"{MAIL}/mailboxes/98765/webhook-secret"), 404, "mailbox_not_found")


# --- who may ---------------------------------------------------------------------------------

ADMIN_ENDPOINTS = [
    ("get", "/mailboxes", None),
    ("post", "/mailboxes", {"name": "Salg", "address": "salg@nordesk.test"}),
    ("patch", "/mailboxes/{mailbox}", {"name": "Overtatt"}),
    ("post", "/mailboxes/{mailbox}/webhook-secret", None),
    ("get", "/quarantine", None),
    ("get", "/quarantine/{raw}/raw", None),
    ("post", "/quarantine/{raw}/retry", None),
    ("post", "/quarantine/{raw}/discard", {"reason": "Søppel"}),
]


@pytest.fixture
def quarantined(mailbox) -> RawEmail:
    result = services.mail_ingest(mailbox=mailbox, raw=many_parts(600), source="imap")
    assert result.status == RawStatus.QUARANTINED
    return RawEmail.objects.get(pk=result.raw_id)


def _call(client, method, path, body, *, mailbox, raw):
    url = f"{MAIL}{path.format(mailbox=mailbox.pk, raw=raw.pk)}"
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _untouched(mailbox: Mailbox, raw: RawEmail) -> None:
    mailbox.refresh_from_db()
    raw.refresh_from_db()
    assert mailbox.name == "Nordesk kundeservice"
    assert mailbox.webhook_secret_digest == ""
    assert raw.status == RawStatus.QUARANTINED
    assert Mailbox.objects.count() == 1


@pytest.mark.parametrize("who", ["kari", "lars", "siri"])
@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ENDPOINTS)
def test_only_admins_reach_mailboxes_and_the_quarantine(
    people, mailbox, quarantined, who, method, path, body
):
    client = token_client(getattr(people, who))

    response = _call(client, method, path, body, mailbox=mailbox, raw=quarantined)

    assert response.status_code == 403, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert many_parts(600)[:40] not in response.content
    _untouched(mailbox, quarantined)


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ENDPOINTS)
def test_without_a_token_every_admin_endpoint_is_401(mailbox, quarantined, method, path, body):
    response = _call(Client(), method, path, body, mailbox=mailbox, raw=quarantined)

    assert_problem(response, 401, "unauthenticated")
    _untouched(mailbox, quarantined)


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ENDPOINTS)
def test_admin_token_without_the_scope_is_403(people, mailbox, quarantined, method, path, body):
    client = token_client(people.astrid, scopes=("customers:read", "customers:write"))

    response = _call(client, method, path, body, mailbox=mailbox, raw=quarantined)

    assert_problem(response, 403, "permission_denied")
    _untouched(mailbox, quarantined)


def test_the_mailbox_token_secret_is_not_an_api_token(mailbox, secret):
    response = Client(**bearer(secret)).get(f"{MAIL}/mailboxes")
    assert_problem(response, 401, "unauthenticated")


# --- the raw-MIME endpoint -------------------------------------------------------------------


def test_rotating_shows_the_secret_once_and_keeps_only_its_digest(admin, mailbox, secret):
    mailbox.refresh_from_db()
    assert len(secret) >= 32
    assert mailbox.webhook_secret_digest
    assert secret not in mailbox.webhook_secret_digest
    listed = admin.get(f"{MAIL}/mailboxes").json()
    assert listed[0]["has_webhook_secret"] is True
    assert secret not in json.dumps(listed)
    assert mailbox.webhook_secret_digest not in json.dumps(listed)


def test_provider_posts_a_mail_and_a_ticket_is_opened(people, mailbox, secret):
    # when the provider posts the raw mail with the mailbox secret
    response = deliver(mailbox.pk, mail(), **bearer(secret))

    # then it is accepted and a ticket holds the customer's text
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == RawStatus.PROCESSED
    assert body["duplicate"] is False
    ticket = Ticket.objects.get(pk=body["ticket_id"])
    assert ticket.subject == "Feil på faktura"
    assert ticket.team_id == people.billing.pk
    message = Message.objects.get(ticket=ticket)
    assert "Fakturaen for september viser feil beløp." in message.text
    raw = RawEmail.objects.get(pk=body["raw_id"])
    assert (raw.source, raw.mailbox_id, raw.message_id) == ("webhook", mailbox.pk, message.pk)
    assert bytes(raw.content) == mail()


def test_the_secret_may_come_in_the_x_nordesk_secret_header(mailbox, secret):
    response = deliver(mailbox.pk, mail(), HTTP_X_NORDESK_SECRET=secret)

    assert response.status_code == 202, response.content
    assert Ticket.objects.filter(pk=response.json()["ticket_id"]).exists()


def test_the_same_mail_posted_again_is_a_duplicate_and_one_ticket(mailbox, secret):
    first = deliver(mailbox.pk, mail(), **bearer(secret))
    tickets = Ticket.objects.count()

    # when the provider retries the same delivery
    second = deliver(mailbox.pk, mail(), **bearer(secret))

    # then it is accepted again, said to be a duplicate, and nothing new exists
    assert second.status_code == 202, second.content
    assert second.json()["duplicate"] is True
    assert second.json()["raw_id"] == first.json()["raw_id"]
    assert second.json()["ticket_id"] == first.json()["ticket_id"]
    assert Ticket.objects.count() == tickets
    assert Message.objects.filter(external_id="<faktura-1@example.no>").count() == 1
    assert RawEmail.objects.count() == 1


@pytest.fixture
def other_mailbox(admin) -> tuple[Mailbox, str]:
    other = services.mailbox_create(name="Salg", address="salg@nordesk.test", inbound="webhook")
    response = admin.post(f"{MAIL}/mailboxes/{other.pk}/webhook-secret")
    return other, response.json()["secret"]


@pytest.mark.parametrize(
    "case",
    [
        "wrong secret",
        "wrong x-nordesk-secret",
        "no secret",
        "empty bearer",
        "another mailbox's secret",
        "mailbox without a secret",
        "unknown mailbox",
        "inactive mailbox",
    ],
)
def test_inbound_without_the_right_secret_is_401_and_stores_nothing(
    mailbox, secret, other_mailbox, case
):
    other, other_secret = other_mailbox
    mailbox_id, headers = mailbox.pk, bearer(secret)
    if case == "wrong secret":
        headers = bearer(secret[:-4] + "AAAA")
    elif case == "wrong x-nordesk-secret":
        headers = {"HTTP_X_NORDESK_SECRET": "gjettet"}
    elif case == "no secret":
        headers = {}
    elif case == "empty bearer":
        headers = {"HTTP_AUTHORIZATION": "Bearer "}
    elif case == "another mailbox's secret":
        headers = bearer(other_secret)
    elif case == "mailbox without a secret":
        without = services.mailbox_create(name="Uten", address="uten@nordesk.test")
        mailbox_id, headers = without.pk, bearer(secret)
    elif case == "unknown mailbox":
        mailbox_id = 987_654
    elif case == "inactive mailbox":
        mailbox.is_active = False
        mailbox.save()
    raws, tickets = RawEmail.objects.count(), Ticket.objects.count()

    response = deliver(mailbox_id, mail(), **headers)

    assert_problem(response, 401, "unauthenticated")
    assert RawEmail.objects.count() == raws
    assert Ticket.objects.count() == tickets


def test_unknown_mailbox_and_wrong_secret_look_the_same(mailbox, secret):
    unknown = deliver(987_654, mail(), **bearer(secret))
    wrong = deliver(mailbox.pk, mail(), **bearer("gjettet"))
    assert unknown.content == wrong.content


def test_after_rotating_again_the_old_secret_is_refused(admin, mailbox, secret):
    rotated = admin.post(f"{MAIL}/mailboxes/{mailbox.pk}/webhook-secret")
    assert rotated.status_code == 201
    new_secret = rotated.json()["secret"]
    assert new_secret != secret

    assert_problem(deliver(mailbox.pk, mail(), **bearer(secret)), 401, "unauthenticated")
    assert not RawEmail.objects.exists()
    assert deliver(mailbox.pk, mail(), **bearer(new_secret)).status_code == 202


@pytest.mark.parametrize("raw", [b"", b"  \r\n\r\n  "])
def test_empty_body_is_422(mailbox, secret, raw):
    response = deliver(mailbox.pk, raw, **bearer(secret))

    assert_problem(response, 422, "invalid")
    assert not RawEmail.objects.exists()


def test_body_far_over_the_size_limit_is_413(settings, mailbox, secret):
    settings.EMAIL_MAX_BYTES = 1000
    raw = mail(text="Veldig lang melding. " * 200)
    assert len(raw) > 2 * settings.EMAIL_MAX_BYTES

    response = deliver(mailbox.pk, raw, **bearer(secret))

    assert_problem(response, 413, "too_large")
    assert not RawEmail.objects.exists()
    assert not Message.objects.filter(external_id="<faktura-1@example.no>").exists()


def test_body_just_over_the_size_limit_is_kept_and_said_to_be_too_large(settings, mailbox, secret):
    settings.EMAIL_MAX_BYTES = 1000
    raw = mail(text="Litt lang melding. " * 60)
    assert settings.EMAIL_MAX_BYTES < len(raw) <= 2 * settings.EMAIL_MAX_BYTES

    response = deliver(mailbox.pk, raw, **bearer(secret))

    assert response.status_code == 202, response.content
    raw_email = RawEmail.objects.get(pk=response.json()["raw_id"])
    assert bytes(raw_email.content) == raw
    message = Message.objects.get(ticket_id=response.json()["ticket_id"])
    assert "Litt lang melding." not in message.text


def test_database_failing_is_503_so_the_provider_retries(monkeypatch, mailbox, secret):
    def fail(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("nordesk.connectors.email.services.mail_ingest", fail)

    response = deliver(mailbox.pk, mail(), **bearer(secret))

    assert_problem(response, 503, "unavailable")
    assert "could not connect" not in response.content.decode()


def test_mail_stored_but_not_processed_before_a_503_is_processed_on_the_retry(
    monkeypatch, mailbox, secret
):
    """The raw bytes were committed, then the database failed while the ticket was being
    written: the provider got a 503 and retries. The retry must not be taken for a duplicate
    of a message that never became a ticket (nor left "received", outside the quarantine)."""
    from nordesk.tickets import services as ticket_services

    receive_once = ticket_services.receive_once

    def fail(inbound):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ticket_services, "receive_once", fail)
    assert_problem(deliver(mailbox.pk, mail(), **bearer(secret)), 503, "unavailable")

    # when the database is back and the provider retries the same delivery
    monkeypatch.setattr(ticket_services, "receive_once", receive_once)
    response = deliver(mailbox.pk, mail(), **bearer(secret))

    # then the mail becomes a ticket after all
    assert response.status_code == 202, response.content
    assert response.json()["status"] == RawStatus.PROCESSED, response.json()
    assert response.json()["ticket_id"] is not None
    assert RawEmail.objects.get().status == RawStatus.PROCESSED
    assert Message.objects.filter(external_id="<faktura-1@example.no>").count() == 1


# --- quarantine ------------------------------------------------------------------------------


def test_rejected_mail_waits_in_the_quarantine_and_is_retried_after_a_fix(
    admin, mailbox, secret, monkeypatch
):
    raw = many_parts(600)
    tickets = Ticket.objects.count()

    # when a mail with 600 MIME parts is posted
    posted = deliver(mailbox.pk, raw, **bearer(secret))

    # then it is accepted, quarantined, and listed with its reason
    assert posted.status_code == 202, posted.content
    assert posted.json()["status"] == RawStatus.QUARANTINED
    assert posted.json()["ticket_id"] is None
    raw_id = posted.json()["raw_id"]
    listed = admin.get(f"{MAIL}/quarantine").json()
    assert [r["id"] for r in listed] == [raw_id]
    assert "MIME parts" in listed[0]["reason"]
    assert (listed[0]["source"], listed[0]["size"]) == ("webhook", len(raw))
    assert Ticket.objects.count() == tickets

    # and the admin downloads it exactly as it arrived, as a file
    download = admin.get(f"{MAIL}/quarantine/{raw_id}/raw")
    assert download.status_code == 200
    assert download["Content-Type"] == "message/rfc822"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content == raw

    # when it is retried while the parser still refuses it, it stays in the quarantine
    again = admin.post(f"{MAIL}/quarantine/{raw_id}/retry")
    assert again.status_code == 200, again.content
    assert again.json()["status"] == RawStatus.QUARANTINED
    assert [r["id"] for r in admin.get(f"{MAIL}/quarantine").json()] == [raw_id]

    # when the cap is raised and it is retried, it becomes a ticket and leaves the list
    monkeypatch.setattr("nordesk.connectors.email.parse.MAX_PARTS", 1000)
    retried = admin.post(f"{MAIL}/quarantine/{raw_id}/retry")
    assert retried.status_code == 200, retried.content
    assert retried.json()["status"] == RawStatus.PROCESSED
    ticket = Ticket.objects.get(pk=retried.json()["ticket_id"])
    assert ticket.subject == "Mange deler"
    assert "Del 599 av fakturaen." in Message.objects.get(ticket=ticket).text
    assert admin.get(f"{MAIL}/quarantine").json() == []

    # and a processed message can be neither retried nor discarded
    assert_problem(admin.post(f"{MAIL}/quarantine/{raw_id}/retry"), 409, "quarantine_state")
    discard = post(admin, f"/quarantine/{raw_id}/discard", {"reason": "For sent"})
    assert_problem(discard, 409, "quarantine_state")
    assert RawEmail.objects.get(pk=raw_id).status == RawStatus.PROCESSED


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_discard_without_a_reason_is_422(admin, quarantined, body):
    response = post(admin, f"/quarantine/{quarantined.pk}/discard", body)

    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert error_fields(response.json()) == {"reason"}
    quarantined.refresh_from_db()
    assert quarantined.status == RawStatus.QUARANTINED


def test_discard_with_a_reason_leaves_the_list_and_keeps_the_bytes(admin, quarantined):
    response = post(admin, f"/quarantine/{quarantined.pk}/discard", {"reason": "Søppelpost"})

    assert response.status_code == 204, response.content
    assert admin.get(f"{MAIL}/quarantine").json() == []
    quarantined.refresh_from_db()
    assert (quarantined.status, quarantined.reason) == (RawStatus.DISCARDED, "Søppelpost")
    assert admin.get(f"{MAIL}/quarantine/{quarantined.pk}/raw").content == many_parts(600)
    again = post(admin, f"/quarantine/{quarantined.pk}/discard", {"reason": "Igjen"})
    assert_problem(again, 409, "quarantine_state")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/quarantine/98765/raw", None),
        ("post", "/quarantine/98765/retry", None),
        ("post", "/quarantine/98765/discard", {"reason": "Søppel"}),
    ],
)
def test_unknown_quarantine_message_is_404(admin, method, path, body):
    kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body else {}
    response = getattr(admin, method)(f"{MAIL}{path}", **kwargs)

    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/problem+json"

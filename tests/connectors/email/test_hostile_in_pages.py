"""Hostile mail as agents meet it: in the inbox, on the ticket page and in what we send back."""

import pytest
from django.urls import reverse

from nordesk.connectors.email import services
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import Message
from tests.connectors.email.builders import MAILBOX_ADDRESS, mail
from tests.connectors.email.test_ingest import ingest

pytestmark = pytest.mark.django_db

HOSTILE_SUBJECT = "<img src=x onerror=alert(1)>"


@pytest.fixture
def mailbox(people):
    return services.mailbox_create(
        name="Nordesk", address=MAILBOX_ADDRESS, team_id=people.billing.pk
    )


def test_a_hostile_subject_is_text_in_the_inbox_and_on_the_ticket(client, people, mailbox):
    # given: a mail whose subject is markup
    result = ingest(mailbox, mail(subject=HOSTILE_SUBJECT))
    ticket = Message.objects.get(pk=result.message_id).ticket
    assert ticket.subject == HOSTILE_SUBJECT  # stored as the customer wrote it
    client.force_login(people.kari.user)

    # when
    inbox = client.get("/").content.decode()
    page = client.get(reverse("web:ticket", args=[ticket.number])).content.decode()

    # then: shown as text, never as an element
    for html in (inbox, page):
        assert "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_spoofed_display_name_does_not_hide_the_real_address(client, people, mailbox):
    # given: the display name pretends to be a bank
    result = ingest(mailbox, mail(sender='"support@yourbank.no" <x@evil.example>'))
    message = Message.objects.get(pk=result.message_id)
    client.force_login(people.kari.user)

    # when
    page = client.get(reverse("web:ticket", args=[message.ticket.number])).content.decode()

    # then: the identity is the real address, and the agent sees it
    assert message.author_customer.identities.get().address == "x@evil.example"
    assert "&lt;x@evil.example&gt;" in page


def test_a_reply_quoting_markup_goes_out_escaped_in_its_html_part(
    people, mailbox, mailoutbox, django_capture_on_commit_callbacks
):
    # given: a ticket from mail
    result = ingest(mailbox, mail(subject=HOSTILE_SUBJECT))
    ticket = Message.objects.get(pk=result.message_id).ticket

    # when: the agent's answer quotes the customer's markup
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_reply(
            ticket=ticket, actor=people.kari.user, text="Du skrev: <script>alert(2)</script>"
        )

    # then: the HTML alternative carries it as text
    (sent,) = mailoutbox
    html, _type = sent.alternatives[0]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "\n" not in sent.subject
    assert "\r" not in sent.subject


def test_mail_stats_count_every_outcome_for_monitoring(people, mailbox):
    from tests.factories import token_client

    # given: one mail imported, one auto-reply ignored
    ingest(mailbox, mail())
    ingest(mailbox, mail(headers={"Auto-Submitted": "auto-replied"}))

    # when
    response = token_client(people.astrid).get("/api/v1/mail/stats")

    # then
    assert response.json() == {
        "received": 0,
        "processed": 1,
        "ignored": 1,
        "quarantined": 0,
        "discarded": 0,
    }


def test_mail_whose_processing_was_cut_off_reaches_the_quarantine(mailbox):
    from datetime import timedelta

    from django.utils import timezone

    from nordesk.connectors.email.models import RawEmail, RawStatus

    # given: stored, then the process died before parsing it (an hour ago)
    stuck, _created = services.raw_store(mailbox=mailbox, raw=mail(), source="smtp")
    RawEmail.objects.filter(pk=stuck.pk).update(received_at=timezone.now() - timedelta(hours=1))
    fresh, _created = services.raw_store(mailbox=mailbox, raw=mail(subject="Ny"), source="smtp")

    # when
    moved = services.raw_interrupted_quarantine()

    # then: the old one waits for an admin, the one being processed right now is left alone
    assert moved == 1
    assert RawEmail.objects.get(pk=stuck.pk).status == RawStatus.QUARANTINED
    assert RawEmail.objects.get(pk=fresh.pk).status == RawStatus.RECEIVED
    assert services.quarantine_retry(raw_email=RawEmail.objects.get(pk=stuck.pk)).ticket_id


def test_the_detected_language_is_on_the_ticket_page(client, people, mailbox):
    # given: a Swedish mail to a mailbox whose default language is Norwegian
    text = "Hej!\n\nJag beställde ett paket för en vecka sedan och spårningen har inte ändrats."
    result = ingest(mailbox, mail(subject="Paketet", text=text))
    ticket = Message.objects.get(pk=result.message_id).ticket
    client.force_login(people.kari.user)

    # when
    page = client.get(reverse("web:ticket", args=[ticket.number])).content.decode()

    # then
    assert ticket.language == "sv"
    assert 'id="ticket-language">Language: Swedish<' in page

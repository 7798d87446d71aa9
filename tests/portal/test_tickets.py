"""A signed-in customer's requests: only their own (an organisation manager's organisation's
too), only the public conversation, replies through the pipeline and "mark as solved"."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nordesk.customers import services as customer_services
from nordesk.portal import services as portal_services
from nordesk.tickets import services as ticket_services
from nordesk.tickets.inbound import InboundAttachment
from nordesk.tickets.models import AuthorKind, EventKind, Ticket
from tests.factories import make_ticket
from tests.portal.helpers import aged_token, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sofie_client(client, people):
    signed_in(client, people.sofie)
    return client


@pytest.fixture
def answered(people):
    """Sofie's ticket with her file, Kari's public reply and Lars's internal note."""
    ticket = make_ticket(
        address="sofie@example.no",
        subject="Faktura med vedlegg",
        attachments=(InboundAttachment("faktura.pdf", b"%PDF-1.4 sofie", "application/pdf"),),
    )
    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Vi ser på det.")
    ticket_services.ticket_add_note(
        ticket=ticket, actor=people.lars.user, text="INTERNT: kunden har skyldt før"
    )
    return ticket


def test_my_requests_lists_only_the_customers_own(sofie_client, people):
    make_ticket(address="nina@example.se", subject="Ninas sak")

    page = sofie_client.get("/help/tickets/").content.decode()

    assert people.ticket.subject in page
    assert "Ninas sak" not in page
    assert "Being handled" in page


def test_my_requests_pages_by_keyset(sofie_client, people):
    for n in range(21):
        make_ticket(address="sofie@example.no", subject=f"Sak nummer {n:02d}")

    first = sofie_client.get("/help/tickets/")
    cursor = first.context["next_cursor"]
    second = sofie_client.get("/help/tickets/", {"cursor": cursor})

    assert len(first.context["tickets"]) == 20
    assert [t.subject for t in second.context["tickets"]] == ["Sak nummer 00", "Feil på faktura"]
    assert second.context["next_cursor"] is None
    assert sofie_client.get("/help/tickets/", {"cursor": "tampered"}).status_code == 302


def test_the_ticket_page_shows_the_public_conversation_only(sofie_client, answered):
    page = sofie_client.get(f"/help/tickets/{answered.number}/").content.decode()

    assert "Vi ser på det." in page
    assert "Hei, fakturaen min stemmer ikke." in page
    assert "INTERNT" not in page
    assert "faktura.pdf" in page


def test_files_download_through_portal_urls(sofie_client, answered):
    attachment = answered.messages.get(author_kind=AuthorKind.CUSTOMER).attachments.get()

    response = sofie_client.get(f"/help/tickets/{answered.number}/files/{attachment.pk}/")

    assert b"".join(response.streaming_content) == b"%PDF-1.4 sofie"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_file_of_an_internal_note_is_not_downloadable(sofie_client, people, answered):
    upload = SimpleUploadedFile("hemmelig.txt", b"intern", "text/plain")
    attachment = ticket_services.attachment_upload(uploaded_by=people.kari.user, file=upload)
    ticket_services.ticket_add_note(
        ticket=answered, actor=people.kari.user, text="Se fil", attachment_ids=[attachment.pk]
    )

    response = sofie_client.get(f"/help/tickets/{answered.number}/files/{attachment.pk}/")

    assert response.status_code == 404


def test_a_reply_with_a_file_reopens_a_solved_ticket(sofie_client, people, answered):
    ticket_services.ticket_change_status(ticket=answered, status="solved", actor=people.kari.user)
    upload = SimpleUploadedFile("bilde.png", b"\x89PNG\r\n\x1a\n0000", "image/png")

    response = sofie_client.post(
        f"/help/tickets/{answered.number}/reply/",
        {"text": "Det er fortsatt feil.", "form_token": aged_token(), "attachments": [upload]},
    )

    answered.refresh_from_db()
    message = answered.messages.order_by("-id").first()
    assert response["Location"] == f"/help/tickets/{answered.number}/"
    assert answered.status == "open"
    assert (message.channel, message.text) == ("web", "Det er fortsatt feil.")
    assert message.attachments.get().filename == "bilde.png"


def test_an_empty_reply_is_refused_and_keeps_nothing(sofie_client, answered):
    count = answered.messages.count()

    response = sofie_client.post(
        f"/help/tickets/{answered.number}/reply/", {"text": "", "form_token": aged_token()}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert answered.messages.count() == count


def test_mark_as_solved_writes_a_customer_history_row(sofie_client, people, answered):
    response = sofie_client.post(f"/help/tickets/{answered.number}/solve/")

    answered.refresh_from_db()
    event = answered.events.filter(kind=EventKind.STATUS).order_by("-id").first()
    assert response.status_code == 302
    assert answered.status == "solved"
    assert event.actor_kind == AuthorKind.CUSTOMER
    assert event.data == {"old": "pending", "new": "solved", "customer_id": people.sofie.pk}
    page = sofie_client.get(f"/help/tickets/{answered.number}/").content.decode()
    assert "Mark as solved" not in page
    assert "If you reply, we open it again." in page


@pytest.fixture
def organisation(people):
    """Sofie and her colleague Per at Fjord AS; Per has a ticket."""
    org = customer_services.organisation_create(name="Fjord AS", domain="fjord.no")
    per = make_ticket(address="per@fjord.no", subject="Pers sak", name="Per Fjord")
    customer_services.customer_update(
        customer=people.sofie, changes={"organisation": org}, actor=people.astrid.user
    )
    Ticket.objects.filter(customer=people.sofie).update(organisation=org)
    return per


def test_an_organisation_manager_sees_colleagues_tickets_marked_by_who_asked(
    sofie_client, people, organisation
):
    account = portal_services.account_for_customer(customer_id=people.sofie.pk)
    portal_services.account_set_organisation_manager(
        account=account, is_manager=True, actor=people.kari.user
    )

    listing = sofie_client.get("/help/tickets/").content.decode()
    detail = sofie_client.get(f"/help/tickets/{organisation.number}/").content.decode()

    assert "Pers sak" in listing
    assert "Per Fjord" in listing
    assert "Asked by Per Fjord" in detail
    assert "Send reply" not in detail  # read only: Per answers his own
    solve = sofie_client.post(f"/help/tickets/{organisation.number}/solve/")
    reply = sofie_client.post(
        f"/help/tickets/{organisation.number}/reply/", {"text": "x", "form_token": aged_token()}
    )
    assert (solve.status_code, reply.status_code) == (404, 404)
    organisation.refresh_from_db()
    assert organisation.status == "new"


def test_a_colleague_who_is_not_a_manager_sees_only_their_own(sofie_client, organisation):
    page = sofie_client.get("/help/tickets/").content.decode()

    assert "Pers sak" not in page
    assert sofie_client.get(f"/help/tickets/{organisation.number}/").status_code == 404


@pytest.fixture
def copied(people):
    """Nina's request with Sofie in Cc."""
    return make_ticket(
        address="nina@example.se",
        name="Nina Berg",
        subject="Ninas sak med Sofie i kopi",
        participants=("sofie@example.no",),
    )


def test_a_customer_in_cc_sees_the_request_marked_with_who_asked(sofie_client, copied):
    listing = sofie_client.get("/help/tickets/").content.decode()
    detail = sofie_client.get(f"/help/tickets/{copied.number}/").content.decode()

    assert "Ninas sak med Sofie i kopi" in listing
    assert "Requests you are copied on (Cc) are here too" in listing
    assert "Nina Berg" in listing
    assert "Asked by Nina Berg" in detail
    assert "You are copied on this request (Cc)." in detail
    assert "Send reply" in detail
    assert "Mark as solved" not in detail  # only the one who asked says it is solved


def test_a_customer_in_cc_replies_as_themselves_and_cannot_solve(sofie_client, people, copied):
    reply = sofie_client.post(
        f"/help/tickets/{copied.number}/reply/",
        {"text": "Jeg er enig med Nina.", "form_token": aged_token()},
    )
    solve = sofie_client.post(f"/help/tickets/{copied.number}/solve/")

    copied.refresh_from_db()
    message = copied.messages.order_by("-id").first()
    assert (reply.status_code, solve.status_code) == (302, 404)
    assert (message.text, message.author_customer_id) == ("Jeg er enig med Nina.", people.sofie.pk)
    assert copied.customer.name == "Nina Berg"
    assert copied.status == "new"
    page = sofie_client.get(f"/help/tickets/{copied.number}/").content.decode()
    assert "<strong>You</strong>" in page
    assert "<strong>Nina Berg</strong>" in page


def test_every_portal_url_of_another_customers_ticket_is_not_found(sofie_client, people):
    theirs = make_ticket(
        address="nina@example.se",
        attachments=(InboundAttachment("nina.txt", b"privat", "text/plain"),),
    )
    attachment = theirs.messages.get().attachments.get()
    mine = people.ticket.messages.get()
    base = f"/help/tickets/{theirs.number}"

    responses = [
        sofie_client.get(f"{base}/"),
        sofie_client.get(f"{base}/files/{attachment.pk}/"),
        sofie_client.post(f"{base}/reply/", {"text": "Hei", "form_token": aged_token()}),
        sofie_client.post(f"{base}/solve/"),
        # her own ticket's number with someone else's file
        sofie_client.get(f"/help/tickets/{people.ticket.number}/files/{attachment.pk}/"),
        sofie_client.get(f"/help/tickets/999999/files/{attachment.pk}/"),
    ]

    assert [r.status_code for r in responses] == [404] * 6
    theirs.refresh_from_db()
    assert theirs.status == "new"
    assert theirs.messages.count() == 1
    assert people.ticket.messages.get() == mine


def test_every_customer_page_sends_a_stranger_to_sign_in(client, people):
    number = people.ticket.number
    gets = [
        "/help/tickets/",
        f"/help/tickets/{number}/",
        "/help/account/",
        f"/help/tickets/{number}/files/1/",
    ]
    posts = [f"/help/tickets/{number}/reply/", f"/help/tickets/{number}/solve/"]

    for response in [client.get(url) for url in gets] + [client.post(url) for url in posts]:
        assert response.status_code == 302
        assert response["Location"].startswith("/help/sign-in/?next=")


def test_customer_pages_cost_at_most_ten_queries(
    sofie_client, people, answered, django_assert_max_num_queries
):
    for n in range(25):
        make_ticket(address="sofie@example.no", subject=f"Sak {n}")
    attachment = answered.messages.get(author_kind=AuthorKind.CUSTOMER).attachments.get()
    pages = [
        "/help/",
        "/help/contact/",
        "/help/tickets/",
        f"/help/tickets/{answered.number}/",
        f"/help/tickets/{answered.number}/files/{attachment.pk}/",
        "/help/account/",
    ]
    for url in pages:
        with django_assert_max_num_queries(10):
            assert sofie_client.get(url).status_code == 200, url
    # marking solved runs the other apps' handlers (SLA clocks stop, a survey is scheduled):
    # an action, not a page
    with django_assert_max_num_queries(20):
        sofie_client.post(f"/help/tickets/{answered.number}/solve/")


def test_the_agent_client_sees_no_portal_page_of_a_customer(people):
    agent = Client()
    agent.force_login(people.kari.user)

    assert agent.get(f"/help/tickets/{people.ticket.number}/").status_code == 302


def test_a_solved_request_offers_its_satisfaction_survey(sofie_client, people, answered):
    from datetime import timedelta

    from django.utils import timezone

    from nordesk.csat import services as csat_services

    ticket_services.ticket_change_status(ticket=answered, status="solved", actor=people.kari.user)
    page = sofie_client.get(f"/help/tickets/{answered.number}/").content.decode()
    assert "Rate our answer" not in page  # not sent yet

    csat_services.surveys_send_due(now=timezone.now() + timedelta(days=1))

    page = sofie_client.get(f"/help/tickets/{answered.number}/").content.decode()
    assert "Rate our answer" in page
    assert "/survey/" in page

"""The ticket page as a workplace: collision detection on replies (the customer wrote or a
colleague replied while the agent was writing), the side panel's customer summary and related
tickets, avatars, channel labels and attachment previews, and the page's query budget."""

import dataclasses
import html
import re

import pytest
from django.urls import reverse

from nordesk.tickets import services
from nordesk.tickets.inbound import InboundAttachment
from nordesk.tickets.models import Direction, Message, Visibility
from tests.factories import inbound, make_ticket

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def _url(ticket, action=""):
    return reverse(f"web:ticket_{action}" if action else "web:ticket", args=[ticket.number])


def _seen_on_page(page: str) -> str:
    match = re.search(r'<input type="hidden" name="seen" value="(\d+)"', page)
    assert match, "the reply form carries the newest message it was typed under"
    return match.group(1)


def _customer_writes(people, text="Hallo? Jeg venter fortsatt.") -> Message:
    return services.receive(
        inbound(
            address="sofie@example.no",
            subject=f"Re: [#{people.ticket.number}] Feil på faktura",
            text=text,
        )
    )


def _replies(people):
    return Message.objects.filter(
        ticket=people.ticket, direction=Direction.OUT, visibility=Visibility.PUBLIC
    )


# --- collision detection ----------------------------------------------------------------------


def test_reply_form_carries_the_newest_message_of_the_page(kari_client, people):
    page = kari_client.get(_url(people.ticket)).content.decode()

    assert _seen_on_page(page) == str(people.ticket.messages.get().pk)


def test_reply_is_held_back_when_the_customer_wrote_meanwhile(kari_client, people):
    # given Kari opened the ticket, then Sofie wrote again
    seen = _seen_on_page(kari_client.get(_url(people.ticket)).content.decode())
    newer = _customer_writes(people)

    # when Kari sends what she typed
    response = kari_client.post(
        _url(people.ticket, "reply"),
        {"text": "Vi har <b>sendt</b> kreditnota.", "status": "solved", "seen": seen},
    )

    # then nothing was sent; she is told why, her text and choice are still there, the new
    # message is marked, and the form now carries it as seen
    page = response.content.decode()
    assert response.status_code == 200
    assert not _replies(people).exists()
    assert "Sofie Lund wrote while you were writing." in page
    assert "Vi har &lt;b&gt;sendt&lt;/b&gt; kreditnota.</textarea>" in page
    assert '<option value="solved" selected>' in page
    assert f'id="message-{newer.pk}" class="message message--in message--new"' in page
    assert 'name="confirm" value="1"' in page
    assert _seen_on_page(page) == str(newer.pk)
    assert people.ticket.messages.count() == 2


def test_send_anyway_sends_the_held_back_reply(kari_client, people):
    seen = _seen_on_page(kari_client.get(_url(people.ticket)).content.decode())
    _customer_writes(people)

    response = kari_client.post(
        _url(people.ticket, "reply"),
        {"text": "Kreditnota er sendt.", "status": "pending", "seen": seen, "confirm": "1"},
    )

    assert response.status_code == 302
    assert list(_replies(people).values_list("text", flat=True)) == ["Kreditnota er sendt."]


def test_after_the_warning_a_plain_send_goes_through(kari_client, people):
    seen = _seen_on_page(kari_client.get(_url(people.ticket)).content.decode())
    _customer_writes(people)
    warned = kari_client.post(
        _url(people.ticket, "reply"), {"text": "Svar", "status": "pending", "seen": seen}
    )

    # the agent has now seen the new message: sending again from the warned page works
    response = kari_client.post(
        _url(people.ticket, "reply"),
        {"text": "Svar", "status": "pending", "seen": _seen_on_page(warned.content.decode())},
    )

    assert response.status_code == 302
    assert _replies(people).count() == 1


def test_colleagues_reply_meanwhile_is_named_in_the_warning(kari_client, people):
    seen = _seen_on_page(kari_client.get(_url(people.ticket)).content.decode())
    services.ticket_reply(ticket=people.ticket, actor=people.astrid.user, text="Løst nå.")

    response = kari_client.post(
        _url(people.ticket, "reply"), {"text": "Ser på det", "status": "pending", "seen": seen}
    )

    assert "Astrid replied while you were writing." in response.content.decode()
    assert _replies(people).count() == 1  # Astrid's only


def test_notes_and_own_replies_meanwhile_do_not_hold_a_reply_back(kari_client, people):
    seen = _seen_on_page(kari_client.get(_url(people.ticket)).content.decode())
    services.ticket_add_note(ticket=people.ticket, actor=people.astrid.user, text="Intern")
    services.ticket_reply(ticket=people.ticket, actor=people.kari.user, text="Fra en annen fane")

    response = kari_client.post(
        _url(people.ticket, "reply"), {"text": "Og en til", "status": "pending", "seen": seen}
    )

    assert response.status_code == 302
    assert _replies(people).count() == 2


@pytest.mark.parametrize("seen", ["abc", "-1", "1" * 20])
def test_malformed_seen_is_refused_and_the_text_kept(kari_client, people, seen):
    response = kari_client.post(
        _url(people.ticket, "reply"), {"text": "Min tekst", "status": "pending", "seen": seen}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The page was out of date: check the conversation, then send again." in page
    assert "Min tekst</textarea>" in page
    assert not _replies(people).exists()


def test_a_held_back_reply_from_a_light_agent_is_still_refused(client, people):
    # Lars may not reply at all: the collision check does not change that
    client.force_login(people.lars.user)
    response = client.post(
        _url(people.ticket, "reply"), {"text": "Hei", "status": "pending", "seen": "1"}
    )

    assert response.status_code == 200
    assert not _replies(people).exists()


# --- what the page shows ----------------------------------------------------------------------


def test_page_has_the_live_socket_and_draft_hooks(kari_client, people):
    page = kari_client.get(_url(people.ticket)).content.decode()

    assert f'data-socket-path="/ws/tickets/{people.ticket.pk}/"' in page
    assert f'data-user-id="{people.kari.user_id}"' in page
    assert 'data-text-viewing="{name} is viewing"' in page
    assert 'id="ticket-presence"' in page
    assert "web/ticket-live.js" in page
    assert 'data-draft-status="reply"' in page
    assert 'data-draft-status="note"' in page


def test_assign_to_me_is_offered_until_the_ticket_is_mine(kari_client, people):
    page = kari_client.get(_url(people.ticket)).content.decode()
    assert 'id="assign-me"' in page
    assert f'name="assignee" value="{people.kari.user_id}"' in page

    response = kari_client.post(_url(people.ticket, "assign"), {"assignee": people.kari.user_id})
    assert response.status_code == 302
    people.ticket.refresh_from_db()
    assert people.ticket.assignee_id == people.kari.user_id
    assert 'id="assign-me"' not in kari_client.get(_url(people.ticket)).content.decode()


def test_messages_show_avatar_and_channel_and_notes_stand_out(kari_client, people):
    services.ticket_add_note(ticket=people.ticket, actor=people.kari.user, text="Sjekk")

    page = kari_client.get(_url(people.ticket)).content.decode()

    assert re.search(r'class="avatar avatar--\d avatar--customer" aria-hidden="true">SL<', page)
    assert re.search(r'class="avatar avatar--\d" aria-hidden="true">KN<', page)
    assert 'class="message__channel channel channel--email">Email<' in page
    assert "message message--out message--internal" in page


def test_images_and_pdfs_get_a_thumbnail_and_nothing_else_does(kari_client, people):
    services.receive(
        dataclasses.replace(
            inbound(address="nora@example.no", subject="Skjermbilde", team=people.billing),
            attachments=(
                InboundAttachment("feil.png", PNG, "image/png"),
                InboundAttachment("faktura.pdf", b"%PDF-1.4\n", "application/pdf"),
                InboundAttachment("x.svg", b"<svg onload=alert(1)></svg>", "image/svg+xml"),
                InboundAttachment("side.html", b"<script>alert(1)</script>", "text/html"),
            ),
        )
    )
    message = Message.objects.get(ticket__subject="Skjermbilde")
    png, pdf, svg, page_file = message.attachments.order_by("id")

    page = kari_client.get(_url(message.ticket)).content.decode()

    png_url = reverse("api:attachment_download", kwargs={"attachment_id": png.pk})
    pdf_preview = reverse("api:attachment_preview", kwargs={"attachment_id": pdf.pk})
    assert f'<img class="attachment-preview" src="{png_url}" alt="feil.png"' in page
    assert f'src="{pdf_preview}" alt="First page of faktura.pdf"' in page
    assert page.count('<img class="attachment-preview') == 2  # no SVG or HTML shown inline
    assert "PDF document" in page
    for other in (pdf, svg, page_file):
        url = reverse("api:attachment_download", kwargs={"attachment_id": other.pk})
        assert f'src="{url}"' not in page
    assert "<script>alert(1)</script>" not in page


def test_side_panel_sums_up_the_customer_with_tickets_in_scope_only(kari_client, people):
    # Sofie has another Billing ticket and one in Technical support, which Kari cannot see
    billing = make_ticket(team=people.billing, subject="Nytt kort", address="sofie@example.no")
    technical = make_ticket(
        team=people.technical, subject="Ruter blinker", address="sofie@example.no"
    )

    page = kari_client.get(_url(people.ticket)).content.decode()

    start = page.index('id="customer-card-title"')
    panel = page[start : page.index("</section>", start)]
    assert "sofie@example.no" in panel
    assert f'href="{_url(billing)}">#{billing.number} Nytt kort</a>' in panel
    assert "Ruter blinker" not in panel
    assert f"#{technical.number} " not in panel
    assert f'href="{_url(people.ticket)}"' not in panel  # not itself


def test_related_tickets_show_the_follow_up_both_ways(kari_client, people):
    for status in ("open", "solved", "closed"):
        services.ticket_change_status(ticket=people.ticket, status=status, actor=people.kari.user)
    follow_up = _customer_writes(people, text="Det er fortsatt feil.").ticket
    assert follow_up.pk != people.ticket.pk

    original = kari_client.get(_url(people.ticket)).content.decode()
    later = kari_client.get(_url(follow_up)).content.decode()

    assert "Related tickets" in original
    assert f'Follow-up:</span>\n              <a href="{_url(follow_up)}">' in original
    assert f'Follows up:</span>\n              <a href="{_url(people.ticket)}">' in later


@pytest.mark.parametrize("extra", [0, 6])
def test_ticket_page_query_count_does_not_grow(
    kari_client, people, django_assert_max_num_queries, extra
):
    for n in range(extra):
        _customer_writes(people, text=f"Melding {n}")
        services.ticket_reply(ticket=people.ticket, actor=people.kari.user, text=f"Svar {n}")
        services.ticket_add_note(ticket=people.ticket, actor=people.astrid.user, text=f"N {n}")
        make_ticket(team=people.billing, subject=f"Annen {n}", address="sofie@example.no")
        services.time_entry_add(ticket=people.ticket, actor=people.astrid.user, seconds=60 + n)
    services.receive(
        dataclasses.replace(
            inbound(address="sofie@example.no", subject="Vedlegg", team=people.billing),
            attachments=(InboundAttachment("a.png", PNG, "image/png"),) * (extra or 1),
        )
    )

    # 26 with the satisfaction survey panel (one read of the ticket's survey), 27 with the
    # handle time panel (one read of the time entries with their agents)
    with django_assert_max_num_queries(27):
        response = kari_client.get(_url(people.ticket))

    assert response.status_code == 200
    assert len(response.context["thread"]) == 1 + 3 * extra
    assert html.unescape("Sofie") in response.content.decode()

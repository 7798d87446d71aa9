"""The agent workspace through Django's test client: what an agent sees and what their clicks
change. Writes are checked in the database and on the page."""

import dataclasses
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from nordesk.tickets.inbound import InboundAttachment
from nordesk.tickets.models import Direction, Message, Ticket, TicketEvent, Visibility
from nordesk.web import inbox_views
from tests.factories import PASSWORD, make_ticket
from tests.web.pages import message_frames

pytestmark = pytest.mark.django_db


def _ticket_url(ticket, action=""):
    name = f"web:ticket_{action}" if action else "web:ticket"
    return reverse(name, args=[ticket.number])


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def lars_client(client, people):
    client.force_login(people.lars.user)
    return client


@pytest.fixture
def technical_ticket(people):
    return make_ticket(
        team=people.technical,
        address="jonas@example.se",
        subject="Ruteren min blinker rødt",
        name="Jonas Berg",
    )


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", "/tickets/1/", "/customers/1/"],
)
def test_pages_require_login(client, people, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_user_without_agent_gets_403_not_a_crash(client, people):
    # given: a Django user with no Agent row
    user = get_user_model().objects.create_user(username="bare@example.no", password=PASSWORD)
    client.force_login(user)

    # when
    response = client.get("/")

    # then
    assert response.status_code == 403
    assert "This account is not an agent." in _text(response)


def test_login_with_email_and_password_opens_the_inbox(client, people):
    response = client.post(
        reverse("web:login"), {"username": "kari@nordesk.test", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("web:inbox")
    assert "Kari Nordmann" in _text(response)


def test_login_with_wrong_password_shows_error(client, people):
    response = client.post(
        reverse("web:login"), {"username": "kari@nordesk.test", "password": "nope"}
    )

    assert response.status_code == 200
    assert 'role="alert"' in _text(response)
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(kari_client):
    assert kari_client.get(reverse("web:logout")).status_code == 405

    response = kari_client.post(reverse("web:logout"))

    assert response.status_code == 302
    assert kari_client.get("/").status_code == 302


def test_layout_has_language_skip_link_and_admin_link_only_for_admins(client, people):
    client.force_login(people.kari.user)
    page = _text(client.get("/"))
    assert '<html lang="en">' in page
    assert 'href="#main"' in page
    assert 'id="language-select"' in page
    for code in ("en", "nb", "nn", "da", "sv"):
        assert f'value="{code}"' in page
    assert reverse("admin:index") not in page

    client.force_login(people.astrid.user)
    assert reverse("admin:index") in _text(client.get("/"))


def test_language_switcher_changes_the_page_language(kari_client):
    response = kari_client.post(
        reverse("web:set_language"), {"language": "nb", "next": "/"}, follow=True
    )

    assert '<html lang="nb">' in _text(response)


# --- inbox ----------------------------------------------------------------------------------


def test_inbox_lists_team_tickets_not_other_teams(kari_client, people, technical_ticket):
    response = kari_client.get("/")

    page = _text(response)
    assert response.status_code == 200
    assert people.ticket.subject in page
    assert "Sofie Lund" in page
    assert technical_ticket.subject not in page


def test_inbox_counts_the_tickets_of_each_view(kari_client, people, technical_ticket):
    from nordesk.tickets import services

    services.ticket_assign(
        ticket=people.ticket, assignee_id=people.kari.user_id, actor=people.kari.user
    )

    response = kari_client.get("/")

    counts = {item["key"]: item["count"] for item in response.context["views"]}
    # Kari's one Billing ticket is hers; the technical team's is outside her scope.
    assert counts == {
        "mine": 1,
        "unassigned": 0,
        "teams": 1,
        "sla": 0,
        "pending": 0,
        "solved": 0,
        "all": None,
    }
    assert '<span class="count" data-view-count="mine">1</span>' in _text(response)


@pytest.mark.parametrize(
    ("query", "sees_sofie", "sees_chat"),
    [
        ({"status": "new"}, True, False),
        ({"status": "open"}, False, True),
        ({"status": "unsolved"}, True, True),
        ({"status": "solved"}, False, False),
        ({"assignee": "me"}, False, True),
        ({"assignee": "none"}, True, False),
        ({"channel": "chat"}, False, True),
        ({"channel": "email"}, True, False),
        ({"q": "faktura"}, True, False),
        ({"q": "passord"}, False, True),
    ],
)
def test_inbox_filters(kari_client, people, query, sees_sofie, sees_chat):
    # given: an open chat ticket assigned to Kari, next to Sofie's new email ticket
    from nordesk.tickets import services

    chat = make_ticket(
        team=people.billing,
        channel="chat",
        kind="chat",
        address="chat-session-77",
        subject="Glemt passord",
    )
    services.ticket_assign(ticket=chat, assignee_id=people.kari.user_id, actor=people.kari.user)

    # when
    page = _text(kari_client.get("/", query))

    # then
    assert (people.ticket.subject in page) is sees_sofie
    assert (chat.subject in page) is sees_chat


def test_inbox_filters_by_team_and_number(client, people, technical_ticket):
    client.force_login(people.siri.user)  # a supervisor sees every team

    by_team = _text(client.get("/", {"team": people.technical.pk}))
    by_number = _text(client.get("/", {"q": f"#{people.ticket.number}"}))

    assert technical_ticket.subject in by_team
    assert people.ticket.subject not in by_team
    assert people.ticket.subject in by_number
    assert technical_ticket.subject not in by_number


def test_inbox_with_htmx_returns_only_the_list(kari_client, people):
    response = kari_client.get("/", {"status": "new"}, HTTP_HX_REQUEST="true")

    page = _text(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<section id="inbox-list"')
    assert people.ticket.subject in page
    assert "HX-Request" in response["Vary"]
    # the counts and the screen-reader summary outside the list come along out of band
    assert '<nav id="inbox-views" class="inbox-views" hx-swap-oob="true"' in page
    assert '<span id="inbox-summary" hx-swap-oob="innerHTML">1 ticket shown.</span>' in page


def test_inbox_history_restore_gets_the_whole_page(kari_client):
    response = kari_client.get("/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")

    assert "<html" in _text(response)


def test_inbox_next_page_link_carries_the_cursor(kari_client, people, monkeypatch):
    # given: three tickets and pages of two
    monkeypatch.setattr(inbox_views, "INBOX_PAGE_SIZE", 2)
    older = [make_ticket(team=people.billing, subject=f"Spørsmål {n}") for n in range(2)]

    # when
    first = _text(kari_client.get("/"))
    match = re.search(r'href="\?cursor=([^"&]+)" rel="next"', first)
    assert match, "no next-page link on the first page"
    second = _text(kari_client.get("/", {"cursor": match.group(1)}))

    # then: newest first, nothing lost, nothing twice
    subjects = [older[1].subject, older[0].subject, people.ticket.subject]
    assert [s for s in subjects if s in first] == subjects[:2]
    assert [s for s in subjects if s in second] == subjects[2:]
    assert 'rel="next"' not in second
    assert "First page" in second


def test_inbox_bad_cursor_shows_message_and_first_page(kari_client, people):
    page = _text(kari_client.get("/", {"cursor": "not-a-cursor"}))

    assert "The cursor is not valid" in page
    assert people.ticket.subject in page


@pytest.mark.parametrize("extra_tickets", [0, 20])
def test_inbox_query_count_does_not_grow_with_tickets(
    kari_client, people, django_assert_max_num_queries, extra_tickets
):
    from nordesk.tickets import services

    for n in range(extra_tickets):
        ticket = make_ticket(
            team=people.billing, address=f"kunde{n}@example.dk", subject=f"Sag {n}"
        )
        services.ticket_tag(ticket=ticket, add=["faktura", f"t{n}"], actor=people.kari.user)
        if n % 2:
            services.ticket_assign(
                ticket=ticket, assignee_id=people.kari.user_id, actor=people.kari.user
            )

    # session, user, agent (+ the once-a-minute "seen"), team ids, saved views, teams, agents,
    # the page, its tags, the views' counts (unsolved, others), macros (page only), unread
    # notifications
    with django_assert_max_num_queries(14):
        response = kari_client.get("/")
    with django_assert_max_num_queries(12):
        fragment = kari_client.get("/", {"status": "unsolved"}, HTTP_HX_REQUEST="true")

    assert len(response.context["tickets"]) == extra_tickets + 1
    assert len(fragment.context["tickets"]) == extra_tickets + 1


# --- ticket page ----------------------------------------------------------------------------


def test_ticket_page_shows_thread_customer_and_history(kari_client, people):
    response = kari_client.get(_ticket_url(people.ticket))

    page = _text(response)
    assert response.status_code == 200
    assert people.ticket.subject in page
    assert "Hei, fakturaen min stemmer ikke." in page
    assert reverse("web:customer", args=[people.sofie.pk]) in page
    assert '<details id="history"' in page
    assert "Ticket created" in page
    for form_id in ("reply-form", "note-form", "assign-form", "team-form", "status-form"):
        assert f'id="{form_id}"' in page


def test_ticket_of_another_team_is_404(kari_client, technical_ticket):
    assert kari_client.get(_ticket_url(technical_ticket)).status_code == 404

    response = kari_client.post(_ticket_url(technical_ticket, "reply"), {"text": "Hei"})

    assert response.status_code == 404
    assert not Message.objects.filter(ticket=technical_ticket, direction=Direction.OUT).exists()


def test_reply_creates_outbound_message_and_shows_it(
    kari_client, people, mailoutbox, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = kari_client.post(
            _ticket_url(people.ticket, "reply"),
            {"text": "Hei Sofie,\nvi ser på fakturaen nå.", "status": "pending"},
        )

    # then: PRG back to the ticket, the reply is stored, shown and e-mailed
    reply = Message.objects.get(ticket=people.ticket, direction=Direction.OUT)
    assert response.status_code == 302
    assert response["Location"] == f"{_ticket_url(people.ticket)}#message-{reply.pk}"
    assert reply.visibility == Visibility.PUBLIC
    assert reply.author_user == people.kari.user
    assert Ticket.objects.get(pk=people.ticket.pk).status == "pending"
    page = _text(kari_client.get(response["Location"]))
    assert "Hei Sofie,<br>vi ser på fakturaen nå." in page
    assert "Reply sent." in page
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sofie@example.no"]


def test_reply_with_htmx_still_redirects_to_the_ticket(kari_client, people):
    response = kari_client.post(
        _ticket_url(people.ticket, "reply"),
        {"text": "Takk for tålmodigheten.", "status": "open"},
        HTTP_HX_REQUEST="true",
        follow=True,
    )

    assert response.status_code == 200
    assert "Takk for tålmodigheten." in _text(response)


def test_empty_reply_shows_field_error_and_sends_nothing(kari_client, people):
    response = kari_client.post(_ticket_url(people.ticket, "reply"), {"text": "  ", "status": ""})

    page = _text(response)
    assert response.status_code == 200
    assert "This field is required." in page
    assert not Message.objects.filter(direction=Direction.OUT).exists()


def test_light_agent_sees_only_the_note_form(lars_client, people):
    page = _text(lars_client.get(_ticket_url(people.ticket)))

    assert 'id="note-form"' in page
    for form_id in ("reply-form", "assign-form", "team-form", "status-form", "tags-form"):
        assert f'id="{form_id}"' not in page


def test_light_agent_reply_is_refused_visibly(lars_client, people):
    # when: Lars forces a reply POST
    response = lars_client.post(
        _ticket_url(people.ticket, "reply"), {"text": "Hei!", "status": "pending"}
    )

    # then
    page = _text(response)
    assert response.status_code == 200
    assert "Light agents can read tickets and add internal notes only." in page
    assert 'role="alert"' in page
    assert not Message.objects.filter(direction=Direction.OUT).exists()
    assert Ticket.objects.get(pk=people.ticket.pk).status == "new"


def test_light_agent_status_change_is_refused_visibly(lars_client, people):
    response = lars_client.post(_ticket_url(people.ticket, "status"), {"status": "open"})

    assert response.status_code == 200
    assert "Light agents can read tickets and add internal notes only." in _text(response)
    assert Ticket.objects.get(pk=people.ticket.pk).status == "new"


def test_note_works_for_light_agent_and_looks_internal(lars_client, people):
    response = lars_client.post(
        _ticket_url(people.ticket, "note"), {"text": "Kunden ringte også i går."}, follow=True
    )

    note = Message.objects.get(ticket=people.ticket, visibility=Visibility.INTERNAL)
    page = _text(response)
    assert note.author_user == people.lars.user
    assert "Internal note added." in page
    article = re.search(rf'<article id="message-{note.pk}" class="([^"]+)"', page)
    assert article
    assert "message--internal" in article.group(1)
    assert "Kunden ringte også i går." in page


def test_illegal_status_change_shows_the_reason(kari_client, people):
    # when: new → closed skips solved
    response = kari_client.post(_ticket_url(people.ticket, "status"), {"status": "closed"})

    # then
    page = _text(response)
    assert response.status_code == 200
    assert "A ticket cannot go from New to Closed." in page
    assert Ticket.objects.get(pk=people.ticket.pk).status == "new"


def test_side_panel_changes_are_saved_and_recorded(kari_client, people):
    url = _ticket_url(people.ticket, "")

    kari_client.post(_ticket_url(people.ticket, "assign"), {"assignee": people.kari.user_id})
    kari_client.post(_ticket_url(people.ticket, "priority"), {"priority": "high"})
    kari_client.post(_ticket_url(people.ticket, "tags"), {"tags": "Faktura, refusjon"})
    kari_client.post(_ticket_url(people.ticket, "team"), {"team": people.technical.pk})

    ticket = Ticket.objects.get(pk=people.ticket.pk)
    assert ticket.assignee == people.kari.user
    assert ticket.status == "open"
    assert ticket.priority == "high"
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["faktura", "refusjon"]
    assert ticket.team == people.technical
    kinds = set(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert {"assignment", "priority", "tags", "team", "status"} <= kinds
    # Still Kari's (assigned to her) though it moved team; the history names the change.
    page = _text(kari_client.get(url))
    assert "Team changed from Billing to Technical support" in page
    assert "Assignee changed from nobody to Kari Nordmann" in page


def test_assigning_a_light_agent_shows_the_reason(kari_client, people):
    response = kari_client.post(
        _ticket_url(people.ticket, "assign"), {"assignee": people.lars.user_id}
    )

    # Lars is not offered; a forced id is a shape error on the field.
    assert response.status_code == 200
    assert "Select a valid choice." in _text(response)
    assert Ticket.objects.get(pk=people.ticket.pk).assignee is None


def test_closed_ticket_offers_only_notes(kari_client, people):
    from nordesk.tickets import services

    services.ticket_change_status(ticket=people.ticket, status="solved", actor=people.kari.user)
    services.ticket_change_status(ticket=people.ticket, status="closed", actor=people.kari.user)

    page = _text(kari_client.get(_ticket_url(people.ticket)))

    assert "This ticket is closed." in page
    assert 'id="reply-form"' not in page
    assert 'id="note-form"' in page


def test_message_html_is_never_rendered_with_scripts(kari_client, people):
    from nordesk.tickets import services
    from tests.factories import inbound

    # given: hostile HTML and hostile plain text from customers
    services.receive(
        dataclasses.replace(
            inbound(
                address="mallory@example.no",
                subject="Hei <script>alert('subject')</script>",
                text="",
                team=people.billing,
            ),
            html="<p>Se her</p><script>alert('html')</script><img src=x onerror=alert('img')>",
        )
    )
    services.receive(
        inbound(
            address="mallory2@example.no",
            subject="Ren tekst",
            text="<script>alert('text')</script>",
            team=people.billing,
        )
    )
    html_ticket = Ticket.objects.get(subject__startswith="Hei <script>")
    text_ticket = Ticket.objects.get(subject="Ren tekst")

    # when
    html_page = _text(kari_client.get(_ticket_url(html_ticket)))
    text_page = _text(kari_client.get(_ticket_url(text_ticket)))
    inbox_page = _text(kari_client.get("/"))

    # then: no script anywhere; the HTML is in its sandboxed frame, only as an attribute value
    for page in (html_page, text_page, inbox_page):
        assert "<script>alert" not in page
        assert "onerror" not in page
    assert "<p>Se her</p>" not in html_page
    [frame] = message_frames(html_page).values()
    assert "<p>Se her</p>" in frame["srcdoc"]
    assert "alert(" not in frame["srcdoc"]
    assert "&lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;" in text_page
    assert message_frames(text_page) == {}


def test_attachments_link_to_the_api_and_download_with_the_session(kari_client, people):
    from nordesk.tickets import services
    from tests.factories import inbound

    services.receive(
        inbound(
            address="per@example.no",
            subject="Kvittering",
            team=people.billing,
            attachments=(InboundAttachment("kvittering.txt", b"Sum: 499 kr\n", "text/plain"),),
        )
    )
    ticket = Ticket.objects.get(subject="Kvittering")
    attachment = Message.objects.get(ticket=ticket).attachments.get()

    page = _text(kari_client.get(_ticket_url(ticket)))
    url = f"/api/v1/tickets/attachments/{attachment.pk}"

    assert f'href="{url}"' in page
    assert "kvittering.txt" in page
    download = kari_client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Sum: 499 kr\n"


# --- customer page --------------------------------------------------------------------------


def test_customer_page_shows_profile_and_tickets_on_every_channel(
    kari_client, people, technical_ticket
):
    # given: Sofie writes again through the web form, and once to Technical support
    web = make_ticket(team=people.billing, channel="web", subject="Endre adresse")
    hidden = make_ticket(team=people.technical, subject="Internett nede")

    # when
    response = kari_client.get(reverse("web:customer", args=[people.sofie.pk]))

    # then
    page = _text(response)
    assert response.status_code == 200
    assert "Sofie Lund" in page
    assert "sofie@example.no" in page
    assert people.ticket.subject in page
    assert web.subject in page
    assert "Web form" in page
    assert "Email" in page
    assert hidden.subject not in page
    assert technical_ticket.subject not in page


def test_customer_of_another_team_is_404(kari_client, technical_ticket):
    url = reverse("web:customer", args=[technical_ticket.customer_id])

    assert kari_client.get(url).status_code == 404

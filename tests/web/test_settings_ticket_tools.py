"""Macros and canned replies on the ticket page (defined on the settings pages), through
Django's test client: a macro runs its actions as the agent and leaves its text in the reply
box; a canned reply lands in the reply box after what the agent typed; nothing is sent."""

import re
from dataclasses import replace

import pytest
from django.urls import reverse

from nordesk.automation import services as automation_services
from nordesk.automation.models import CannedReply, Macro
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import Message, Ticket
from tests.factories import inbound
from tests.web.settings_helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def nb_ticket(people) -> Ticket:
    """A ticket in Norwegian Bokmål from Sofie, in Billing (Kari's team)."""
    message = replace(inbound(team=people.billing, name="Sofie Lund"), language="nb")
    return ticket_services.receive(message).ticket


@pytest.fixture
def macro() -> Macro:
    return automation_services.macro_create(
        name="Refusjon",
        actions=[
            {"type": "add_tags", "value": ["refusjon"]},
            {"type": "set_priority", "value": "high"},
        ],
        texts={
            "nb": "Hei {{ customer.first_name }}, vi refunderer beløpet. Hilsen {{ agent.name }}",
            "en": "Hi {{ customer.first_name }}, we will refund you.",
        },
    )


@pytest.fixture
def canned() -> CannedReply:
    return automation_services.canned_reply_create(
        name="Takk",
        texts={"nb": "Takk for meldingen, {{ customer.first_name }}!", "en": "Thank you!"},
    )


def _reply_box(page: str) -> str:
    box = re.search(r'<textarea name="text"[^>]*id="reply-text">\n?(.*?)</textarea>', page, re.S)
    assert box, "no reply box"
    return box.group(1)


def test_ticket_page_offers_active_macros_and_canned_replies(kari_client, people, macro, canned):
    automation_services.macro_create(name="Gammel", actions=[], texts={}, is_active=False)

    page = page_text(kari_client.get(reverse("web:ticket", args=[people.ticket.number])))

    assert 'id="macro-select"' in page
    assert f'<option value="{macro.pk}">Refusjon</option>' in page
    assert "Gammel" not in page
    assert f'<option value="{canned.pk}">Takk</option>' in page
    assert 'hx-include="#reply-text"' in page


def test_ticket_page_without_definitions_shows_no_tools(kari_client, people):
    page = page_text(kari_client.get(reverse("web:ticket", args=[people.ticket.number])))

    assert 'id="reply-tools"' not in page


def test_light_agents_see_no_tools(client, people, macro, canned):
    client.force_login(people.lars.user)

    page = page_text(client.get(reverse("web:ticket", args=[people.ticket.number])))

    assert 'id="reply-tools"' not in page


def test_canned_reply_lands_in_the_reply_box_after_what_was_typed(kari_client, nb_ticket, canned):
    ticket = nb_ticket
    messages_before = Message.objects.filter(ticket=ticket).count()

    response = kari_client.get(
        reverse("web:ticket_canned_reply", args=[ticket.number]),
        {"canned": str(canned.pk), "text": "Hei Sofie."},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert _reply_box(page_text(response)) == "Hei Sofie.\n\nTakk for meldingen, Sofie!"
    assert Message.objects.filter(ticket=ticket).count() == messages_before  # nothing sent


def test_canned_reply_unknown_says_so(kari_client, people):
    response = kari_client.get(
        reverse("web:ticket_canned_reply", args=[people.ticket.number]),
        {"canned": "999", "text": "Kladd"},
    )

    page = page_text(response)
    assert "Choose a canned reply to insert." in page
    assert _reply_box(page) == "Kladd"


def test_macro_runs_its_actions_and_leaves_its_text_in_the_reply_box(kari_client, nb_ticket, macro):
    ticket = nb_ticket
    url = reverse("web:ticket_macro", args=[ticket.number])

    response = kari_client.post(url, {"macro": str(macro.pk), "text": "Kladd"})

    assert response.status_code == 302
    assert response["Location"] == reverse("web:ticket", args=[ticket.number]) + "#reply-form"
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.priority == "high"
    assert list(ticket.tags.values_list("name", flat=True)) == ["refusjon"]
    # then the page holds the text, once, for Kari to review; nothing was sent
    page = page_text(kari_client.get(response["Location"]))
    assert "Macro Refusjon applied. Its text is in the reply box: review it, then send." in page
    assert _reply_box(page) == ("Kladd\n\nHei Sofie, vi refunderer beløpet. Hilsen Kari Nordmann")
    assert not Message.objects.filter(ticket=ticket, direction="out").exists()
    again = page_text(kari_client.get(reverse("web:ticket", args=[ticket.number])))
    assert _reply_box(again) == ""


def test_macro_a_light_agent_may_not_apply_changes_nothing(client, people, macro):
    client.force_login(people.lars.user)
    ticket = people.ticket

    response = client.post(
        reverse("web:ticket_macro", args=[ticket.number]), {"macro": str(macro.pk)}, follow=True
    )

    assert "The macro Refusjon was not applied:" in page_text(response)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.priority == "normal"
    assert not ticket.tags.exists()


def test_inactive_or_unknown_macro_is_not_applied(kari_client, people):
    inactive = automation_services.macro_create(
        name="Av", actions=[{"type": "set_priority", "value": "urgent"}], texts={}, is_active=False
    )

    for value in (str(inactive.pk), "999", "x"):
        response = kari_client.post(
            reverse("web:ticket_macro", args=[people.ticket.number]),
            {"macro": value, "text": "Kladd"},
            follow=True,
        )
        page = page_text(response)
        assert "Choose a macro to apply." in page
        assert _reply_box(page) == "Kladd"  # what was typed is kept
    assert Ticket.objects.get(pk=people.ticket.pk).priority == "normal"


def test_tools_on_a_ticket_outside_the_agents_scope_are_404(client, people, macro, canned):
    client.force_login(people.ole.user)  # Technical support; the ticket is Billing's
    number = people.ticket.number

    applied = client.post(reverse("web:ticket_macro", args=[number]), {"macro": str(macro.pk)})
    inserted = client.get(
        reverse("web:ticket_canned_reply", args=[number]), {"canned": str(canned.pk)}
    )

    assert (applied.status_code, inserted.status_code) == (404, 404)
    assert Ticket.objects.get(pk=people.ticket.pk).priority == "normal"


def test_script_in_a_macro_or_canned_reply_is_escaped(kari_client, people, nb_ticket):
    automation_services.macro_create(
        name="<script>alert(1)</script>", actions=[], texts={"en": "<script>alert(2)</script>"}
    )
    canned = automation_services.canned_reply_create(
        name="<b>fet</b>", texts={"nb": "<script>alert(3)</script>", "en": "x"}
    )

    page = page_text(kari_client.get(reverse("web:ticket", args=[people.ticket.number])))
    inserted = page_text(
        kari_client.get(
            reverse("web:ticket_canned_reply", args=[nb_ticket.number]),
            {"canned": str(canned.pk)},
        )
    )

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;fet&lt;/b&gt;" in page
    assert "<script>alert" not in inserted
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in inserted

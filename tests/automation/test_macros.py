"""Macros and canned replies: placeholders, the ticket's language with fallbacks, and texts
that stay literal whatever they hold."""

from dataclasses import replace

import pytest

from nordesk.automation import services
from nordesk.automation.errors import InvalidTexts
from nordesk.automation.placeholders import placeholders_render, text_for_language
from nordesk.tickets import services as ticket_services
from nordesk.tickets.errors import IllegalTransition
from nordesk.tickets.models import Ticket
from tests.factories import inbound

pytestmark = pytest.mark.django_db

TEXTS = {
    "nb": "Hei {{ customer.first_name }}! Sak {{ ticket.number }}. Hilsen {{ agent.name }}",
    "sv": "Hej {{ customer.first_name }}!",
    "en": "Hello {{customer.first_name}}!",
}


def ticket_in(language: str, people) -> Ticket:
    message = replace(
        inbound(team=people.billing, address=f"{language}@example.no", name="Sofie Lund"),
        language=language,
    )
    return ticket_services.receive(message).ticket


def test_canned_reply_in_the_tickets_language_with_placeholders(people):
    canned = services.canned_reply_create(name="Hilsen", texts=TEXTS)
    ticket = ticket_in("nb", people)
    text = services.canned_reply_render(canned=canned, ticket=ticket, agent=people.kari)
    assert text == f"Hei Sofie! Sak {ticket.number}. Hilsen Kari Nordmann"


@pytest.mark.parametrize(
    ("language", "texts", "expected"),
    [
        ("sv", TEXTS, "Hej Sofie!"),
        ("da", TEXTS, "Hello Sofie!"),  # no Danish: English
        ("nn", {"sv": "Hej", "da": "Hej dansk"}, "Hej dansk"),  # no English either: any
    ],
)
def test_language_fallback(people, language, texts, expected):
    canned = services.canned_reply_create(name="Hilsen", texts=texts)
    ticket = ticket_in(language, people)
    assert services.canned_reply_render(canned=canned, ticket=ticket, agent=people.kari) == expected


def test_text_for_language_prefers_the_language_then_english_then_the_first():
    assert text_for_language({"nb": "a", "en": "b"}, "nb") == "a"
    assert text_for_language({"nb": "a", "en": "b"}, "sv") == "b"
    assert text_for_language({"sv": "c", "nb": "a"}, "da") == "a"
    assert text_for_language("plain", "da") == "plain"


@pytest.mark.parametrize(
    "text",
    [
        "{{ ticket.__class__ }}",
        "{{ ticket.customer.__init__.__globals__ }}",
        "{% for x in y %}{{ x }}{% endfor %}",
        "{{ settings.SECRET_KEY }}",
        "${ticket.number} {ticket.number} {{ticket.number",
    ],
)
def test_anything_but_a_known_placeholder_stays_literal(people, text):
    canned = services.canned_reply_create(name="Farlig", texts={"en": text})
    assert (
        services.canned_reply_render(canned=canned, ticket=people.ticket, agent=people.kari) == text
    )


def test_values_are_not_read_as_placeholders_again():
    values = {"customer.name": lambda: "{{ ticket.number }}", "ticket.number": lambda: "42"}
    assert placeholders_render("{{ customer.name }} {{ ticket.number }}", values) == (
        "{{ ticket.number }} 42"
    )


def test_canned_reply_needs_a_text_in_a_known_language(people):
    with pytest.raises(InvalidTexts):
        services.canned_reply_create(name="Tom", texts={})
    with pytest.raises(InvalidTexts, match="“de” is not a language"):
        services.canned_reply_create(name="Tysk", texts={"de": "Hallo"})


def test_macro_applies_its_actions_as_the_agent_and_returns_the_reply(people):
    macro = services.macro_create(
        name="Venter på kunde",
        actions=[
            {"type": "set_status", "value": "pending"},
            {"type": "add_tags", "value": ["venter"]},
            {"type": "add_note", "text": "Makro brukt av {{ agent.first_name }}"},
        ],
        texts=TEXTS,
    )
    ticket = ticket_in("nb", people)

    applied = services.macro_apply(macro=macro, ticket=ticket, agent=people.kari)

    assert applied.reply == f"Hei Sofie! Sak {ticket.number}. Hilsen Kari Nordmann"
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status == "pending"
    assert set(ticket.tags.values_list("name", flat=True)) == {"venter"}
    note = ticket.messages.get(visibility="internal")
    assert (note.text, note.author_user_id) == ("Makro brukt av Kari", people.kari.user_id)
    status_event = ticket.events.get(kind="status")
    assert status_event.actor_user_id == people.kari.user_id


def test_macro_is_all_or_nothing(people):
    macro = services.macro_create(
        name="Lukk",
        actions=[{"type": "add_tags", "value": ["x"]}, {"type": "set_status", "value": "closed"}],
        texts={},
    )
    ticket = people.ticket  # new: cannot be closed
    with pytest.raises(IllegalTransition):
        services.macro_apply(macro=macro, ticket=ticket, agent=people.kari)
    assert not Ticket.objects.get(pk=ticket.pk).tags.exists()

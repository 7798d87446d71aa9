"""Search: inflected Nordic words, customers, scope, escaping, hostile queries, reindexing."""

from dataclasses import replace

import pytest

from nordesk.core.errors import Invalid
from nordesk.customers import services as customer_services
from nordesk.tickets import services as ticket_services
from nordesk.tickets.search import MAX_QUERY_CHARS, search_index_pending, ticket_search
from tests.factories import inbound

pytestmark = pytest.mark.django_db


def _ticket(team, text, *, subject="Hjelp", address="kunde@example.no", language="", **kw):
    message = ticket_services.receive(
        replace(
            inbound(team=team, text=text, subject=subject, address=address, **kw),
            language=language,
        )
    )
    return message.ticket


def _numbers(agent, text, **kw) -> list[int]:
    hits, _cursor = ticket_search(agent=agent, text=text, **kw)
    return [hit.ticket.number for hit in hits]


@pytest.mark.parametrize("language", ["", "known"])
@pytest.mark.parametrize(
    ("code", "text", "query"),
    [
        ("nb", "Hei, fakturaen min stemmer ikke.", "faktura"),
        ("sv", "Hej, fakturan från mars är fel.", "faktura"),
        ("da", "Hej, fakturaerne fra marts er forkerte.", "faktura"),
        ("nn", "Kor er fakturaane mine?", "faktura"),
        ("nb", "Hei, faktura 2231 er ikke betalt.", "fakturaen"),
        ("nb", "Jeg venter fortsatt på refusjonen.", "refusjon"),
        ("sv", "Leveransen kom aldrig fram.", "leveranser"),
        ("en", "Both invoices were charged twice.", "invoice"),
    ],
)
def test_search_finds_inflected_nordic_words(people, language, code, text, query):
    # given: a ticket in its language, or one whose language is not known yet
    ticket = _ticket(people.billing, text, language=code if language else "")
    other = _ticket(people.billing, "Passordet virker ikke.", address="ola@example.no")
    search_index_pending()
    # when
    found = _numbers(people.kari, query)
    # then
    assert ticket.number in found
    assert other.number not in found


def test_search_needs_every_word(people):
    both = _ticket(people.billing, "Fakturaen og purringen kom samtidig.", address="a@example.no")
    one = _ticket(people.billing, "Purringen var feil.", address="b@example.no")
    search_index_pending()

    assert _numbers(people.kari, "purring faktura") == [both.number]
    assert set(_numbers(people.kari, "purring")) == {both.number, one.number}


def test_search_finds_customer_by_name_email_and_phone(people):
    ticket = _ticket(
        people.billing, "Hei!", address="ingrid.berg@fjord.no", name="Ingrid Bergersen"
    )
    phoned = _ticket(people.billing, "Ring meg", address="+4791234567", kind="phone")
    search_index_pending()

    assert _numbers(people.kari, "Bergersen") == [ticket.number]
    assert _numbers(people.kari, "ingrid.berg@fjord.no") == [ticket.number]
    assert _numbers(people.kari, "fjord") == [ticket.number]
    assert _numbers(people.kari, "4791234567") == [phoned.number]


def test_search_finds_ticket_number_first(people):
    mentions = _ticket(people.billing, f"Se også sak {people.ticket.number}.")
    search_index_pending()

    assert _numbers(people.kari, f"#{people.ticket.number}")[0] == people.ticket.number
    assert _numbers(people.kari, str(people.ticket.number)) == [
        people.ticket.number,
        mentions.number,
    ]


def test_search_keeps_to_the_agents_scope(people):
    # given: a ticket of Technical support that Kari (Billing) may not see
    hidden = _ticket(people.technical, "Ruteren blinker rødt.", address="r@example.no")
    search_index_pending()
    # then: not by its words, nor by its number
    assert _numbers(people.kari, "ruteren") == []
    assert _numbers(people.kari, f"#{hidden.number}") == []
    assert _numbers(people.ole, "ruteren") == [hidden.number]
    assert _numbers(people.astrid, "ruteren") == [hidden.number]


def test_search_snippet_escapes_script_and_marks_matches(people):
    _ticket(
        people.billing,
        "Før <script>alert('x')</script> kom fakturaen & purringen " + "ord " * 80,
        subject="Fakturaen <b>feil</b>",
        address="x@example.no",
    )
    search_index_pending()

    hits, _ = ticket_search(agent=people.kari, text="purring")
    snippet, subject = str(hits[0].snippet), str(hits[0].subject)

    assert "<script>" not in snippet
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in snippet
    assert "&amp; <mark>purringen</mark>" in snippet
    assert snippet.endswith("…")
    assert len(snippet) < 300
    assert subject == "Fakturaen &lt;b&gt;feil&lt;/b&gt;"


def test_search_snippet_starts_near_a_late_match(people):
    _ticket(people.billing, "innledning " * 100 + "til slutt kom kredittnotaen.")
    search_index_pending()

    hits, _ = ticket_search(agent=people.kari, text="kredittnota")

    assert str(hits[0].snippet).startswith("…")
    assert "<mark>kredittnotaen</mark>." in str(hits[0].snippet)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        "'",
        "*",
        "!!! ??? ---",
        "NEAR(",
        'NEAR(faktura "',
        'faktura" OR "x',
        "faktura*",
        "faktura:* & !x",
        "^faktura",
        "a" * MAX_QUERY_CHARS,
        " ".join(["faktura"] * 100)[:MAX_QUERY_CHARS],
        "(((",
        "\\",
        "%s %(x)s",
        "\x00",
    ],
)
def test_search_survives_weird_queries(people, query):
    search_index_pending()

    hits, cursor = ticket_search(agent=people.kari, text=query)

    assert cursor is None
    assert all(hit.ticket.team_id == people.billing.pk for hit in hits)


def test_search_of_punctuation_only_finds_nothing(people):
    search_index_pending()

    assert ticket_search(agent=people.kari, text="?!*\"'") == ([], None)


def test_search_refuses_an_overlong_query(people):
    with pytest.raises(Invalid, match="at most 500 characters"):
        ticket_search(agent=people.kari, text="a" * (MAX_QUERY_CHARS + 1))


def test_reindex_after_a_new_message_finds_its_text(people):
    # given: an indexed ticket
    search_index_pending()
    assert _numbers(people.kari, "strømbruddet") == []
    # when: the customer writes again
    ticket_services.receive(
        inbound(
            text="Det var strømbruddet i går.",
            ticket_hints=((people.ticket.pk, "signed_reference"),),
        )
    )
    # then: found once the index has caught up, and only that ticket was indexed again
    assert _numbers(people.kari, "strømbruddet") == []
    assert search_index_pending() == 1
    assert _numbers(people.kari, "strømbrudd") == [people.ticket.number]
    assert search_index_pending() == 0


def test_reindex_after_an_agent_note(people):
    search_index_pending()
    ticket_services.ticket_add_note(
        ticket=people.ticket, text="Kunden ringte om kredittkortet.", actor=people.kari.user
    )
    search_index_pending()

    assert _numbers(people.kari, "kredittkort") == [people.ticket.number]


def test_reindex_after_the_customer_is_renamed_or_gets_an_address(people):
    # given: Sofie's ticket is indexed, and another customer's ticket too
    other = _ticket(people.billing, "Hei!", address="ola@example.no", name="Ola Nordmann")
    search_index_pending()
    assert _numbers(people.kari, "Strand") == []

    # when: Sofie marries and gives her new address
    customer_services.customer_update(
        customer=people.sofie, changes={"name": "Sofie Strand"}, actor=people.kari.user
    )
    customer_services.customer_add_identity(
        customer=people.sofie, kind="email", address="sofie@strand.no"
    )

    # then: the next pass indexes her ticket (only hers) and finds it by both
    assert search_index_pending() == 1
    assert _numbers(people.kari, "Strand") == [people.ticket.number]
    assert _numbers(people.kari, "sofie@strand.no") == [people.ticket.number]
    assert _numbers(people.kari, "Nordmann") == [other.number]


def test_reindex_everything_rebuilds(people):
    assert search_index_pending(everything=True) == 1
    assert search_index_pending(everything=True) == 1
    assert _numbers(people.kari, "faktura") == [people.ticket.number]


def test_search_pages_with_a_cursor(people):
    tickets = [
        _ticket(people.billing, f"Momsen nummer {n}", address=f"m{n}@example.no") for n in range(5)
    ]
    search_index_pending()

    first, cursor = ticket_search(agent=people.kari, text="moms", limit=3)
    second, last = ticket_search(agent=people.kari, text="moms", limit=3, cursor=cursor)

    found = [hit.ticket.number for hit in first + second]
    assert found == [t.number for t in reversed(tickets)]
    assert last is None


def test_search_refuses_a_tampered_cursor(people):
    with pytest.raises(Invalid):
        ticket_search(agent=people.kari, text="faktura", cursor="bm90IGEgY3Vyc29y")


def test_search_query_count(people, django_assert_max_num_queries):
    for n in range(10):
        _ticket(people.billing, f"Fakturaen nummer {n}", address=f"f{n}@example.no")
    search_index_pending()
    agent = people.kari

    # the agent's teams, the matching ids, the hits, their texts
    with django_assert_max_num_queries(4):
        hits, _ = ticket_search(agent=agent, text="faktura")
        for hit in hits:
            str(hit.ticket.customer), str(hit.ticket.team), str(hit.ticket.assignee)
    assert len(hits) == 11


def test_a_word_in_many_tickets_pages_newest_first(people, monkeypatch):
    # given: more tickets match than the search looks up by id
    import nordesk.tickets.search as search

    monkeypatch.setattr(search, "FEW_MATCHES", 3)
    made = [
        _ticket(people.billing, f"Fakturaen {n} er feil.", address=f"k{n}@example.no")
        for n in range(6)
    ]
    _ticket(people.technical, "Fakturaen fra en annen avdeling.", address="x@example.no")
    search_index_pending()

    # then: each matching ticket Kari may see comes once, newest first, over two pages
    first, cursor = ticket_search(agent=people.kari, text="faktura", limit=4)
    second, _none = ticket_search(agent=people.kari, text="faktura", limit=4, cursor=cursor)
    found = [hit.ticket.pk for hit in first + second]
    assert found == [t.pk for t in reversed([people.ticket, *made])]


def test_demo_seed_ends_indexed(db):
    from nordesk.accounts import selectors as account_selectors
    from nordesk.demo import seed

    seed.demo_load(tickets=12)
    admin = account_selectors.agent_by_email(seed.DEMO_ADMIN_EMAIL)

    assert search_index_pending() == 0
    hits, _ = ticket_search(agent=admin, text="faktura")
    assert hits


def test_cli_search_reindex_indexes_every_ticket(people, capsys):
    from nordesk import cli

    assert cli.main(["search-reindex"]) == 0

    assert "Indexed 1 tickets for search." in capsys.readouterr().out
    assert _numbers(people.kari, "faktura") == [people.ticket.number]

"""The search page and the header's search box."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nordesk.tickets.search import search_index_pending
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
SEARCH = "/search/"


def _content(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_search_url_is_the_one_the_header_submits_to():
    assert reverse("web:search") == SEARCH


def test_search_page_lists_hits_with_marked_snippets(kari_client, people):
    # given
    ticket = make_ticket(
        team=people.billing,
        subject="Purring",
        text="Hei! <script>alert(1)</script> Purringen kom før fakturaen.",
        address="nora@example.no",
        name="Nora Nilsen",
    )
    search_index_pending()
    # when
    html = _content(kari_client.get(SEARCH, {"q": "purring"}))
    # then
    assert "<mark>Purringen</mark>" in html
    assert "<mark>Purring</mark></a>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Nora Nilsen" in html
    assert f'href="/tickets/{ticket.number}/"' in html
    assert people.ticket.subject not in html


def test_search_page_scoped_to_the_agent(kari_client, people):
    make_ticket(team=people.technical, text="Ruteren blinker.", address="r@example.no")
    search_index_pending()

    html = _content(kari_client.get(SEARCH, {"q": "ruteren"}))

    assert 'id="search-hits"' not in html
    assert "No tickets match “ruteren”" in html


def test_search_page_empty_state_without_a_query(kari_client):
    html = _content(kari_client.get(SEARCH))

    assert 'id="search-empty"' in html
    assert "or type a ticket number" in html


@pytest.mark.parametrize(
    "query", ['"', "*", "NEAR(", "'); DROP TABLE x; --", "!!!", "a" * 500, "<b>x</b>"]
)
def test_search_page_weird_queries(kari_client, people, query):
    search_index_pending()

    response = kari_client.get(SEARCH, {"q": query})

    assert response.status_code == 200
    assert "<b>x</b>" not in response.content.decode()


def test_search_page_refuses_an_overlong_query_clearly(kari_client):
    html = _content(kari_client.get(SEARCH, {"q": "a" * 501}))

    assert 'id="search-errors"' in html
    assert "at most 500 characters" in html


def test_search_page_tampered_cursor_shows_an_error(kari_client, people):
    search_index_pending()

    html = _content(kari_client.get(SEARCH, {"q": "faktura", "cursor": "garbage"}))

    assert "The cursor is not valid" in html


def test_search_page_next_page(kari_client, people):
    for n in range(26):
        make_ticket(team=people.billing, text=f"Momsen {n}", address=f"m{n}@example.no")
    search_index_pending()

    first = kari_client.get(SEARCH, {"q": "momsen"})
    cursor = first.context["next_cursor"]
    second = kari_client.get(SEARCH, {"q": "momsen", "cursor": cursor})

    assert len(first.context["hits"]) == 25
    assert 'rel="next"' in _content(first)
    assert len(second.context["hits"]) == 1
    assert second.context["next_cursor"] is None


def test_search_page_query_budget(kari_client, people, django_assert_max_num_queries):
    for n in range(25):
        make_ticket(team=people.billing, text=f"Fakturaen {n}", address=f"f{n}@example.no")
    search_index_pending()
    kari_client.get(SEARCH, {"q": "x"})  # the session's first request also notes the agent seen

    # session, user, agent; the agent's teams, the matching ids, the hits, their texts; unread
    # notifications
    with django_assert_max_num_queries(8):
        response = kari_client.get(SEARCH, {"q": "faktura"})

    assert len(response.context["hits"]) == 25


def test_header_has_the_global_search_box(kari_client):
    html = _content(kari_client.get(reverse("web:inbox")))

    assert 'id="global-search"' in html
    assert 'name="q"' in html
    assert '<label for="global-search"' in html
    assert 'action="/search/"' in html

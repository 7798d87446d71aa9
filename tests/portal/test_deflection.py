"""The contact form suggests articles while the customer types; an article opened from the
form whose visit sends no form within the window is a deflection, stored as an event."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone

from nordesk.kb.models import Article, ArticleEvent
from nordesk.portal.deflection import DEFLECTION_MINUTES, deflections_record_due
from nordesk.tickets.models import Ticket
from tests.kb.factories import make_article, make_section
from tests.portal.helpers import contact_data

pytestmark = pytest.mark.django_db

SV = {"HTTP_ACCEPT_LANGUAGE": "sv"}
ARTICLE = "/help/sv/articles/sa-betalar-du-fakturan/"


@pytest.fixture
def invoice():
    return make_article(
        make_section(),
        translations={"sv": ("Så betalar du fakturan", "Fakturan betalar du i internetbanken.")},
    )


def later():
    return timezone.now() + timedelta(minutes=DEFLECTION_MINUTES + 1)


def deflections(article):
    return ArticleEvent.objects.filter(article=article, kind="deflected").count()


def test_typing_suggests_matching_articles_linked_from_the_form(
    client, invoice, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get(
            "/help/contact/suggestions/",
            {"subject": "Hur betalar jag", "description": "min faktura?"},
            **SV,
        )

    assert f'href="{ARTICLE}?from=form"' in response.content.decode()


def test_nothing_typed_or_nothing_matching_suggests_nothing(client, invoice):
    assert client.get("/help/contact/suggestions/").content.decode().strip() == ""
    nothing = client.get("/help/contact/suggestions/", {"subject": "zebra"}, **SV)
    assert "href" not in nothing.content.decode()


def test_the_form_asks_for_suggestions_and_works_without_them(client):
    page = client.get("/help/contact/").content.decode()

    assert 'hx-get="/help/contact/suggestions/"' in page
    assert 'id="contact-suggestions"' in page


def test_opened_from_the_form_and_left_is_a_deflection(client, invoice):
    client.get("/help/contact/", **SV)
    client.get(ARTICLE, {"from": "form"}, **SV)
    client.get(ARTICLE, {"from": "form"}, **SV)  # read again: still one

    assert deflections_record_due() == 0  # the customer may still send the form
    assert deflections_record_due(now=later()) == 1
    assert deflections_record_due(now=later()) == 0

    assert deflections(invoice) == 1
    assert Article.objects.get(pk=invoice.pk).deflection_count == 1


def test_opened_then_submitted_is_not_a_deflection(client, invoice):
    client.get("/help/contact/", **SV)
    client.get(ARTICLE, {"from": "form"}, **SV)

    sent = client.post("/help/contact/", contact_data(), **SV)

    assert sent.status_code == 302
    assert deflections_record_due(now=later()) == 0
    assert deflections(invoice) == 0


def test_an_article_read_without_the_form_is_no_deflection(client, invoice):
    client.get(ARTICLE, {"from": "form"}, **SV)  # no form visit in this session
    client.get("/help/contact/", **SV)
    client.get(ARTICLE, **SV)  # found by browsing, not suggested

    assert deflections_record_due(now=later()) == 0


def test_a_refused_form_keeps_the_visit_open(client, invoice):
    client.get("/help/contact/", **SV)
    client.get(ARTICLE, {"from": "form"}, **SV)
    client.post("/help/contact/", contact_data(email="not an address"), **SV)

    assert deflections_record_due(now=later()) == 1


def test_an_article_unpublished_meanwhile_is_not_counted(client, invoice):
    from nordesk.kb import services as kb_services

    client.get("/help/contact/", **SV)
    client.get(ARTICLE, {"from": "form"}, **SV)
    kb_services.article_set_status(article=invoice, status="archived", actor=None)

    assert deflections_record_due(now=later()) == 0
    assert deflections(invoice) == 0


# --- the embedded form: a frame on another site, without our cookies ------------------------


def _embedded_visit(frame) -> str:
    page = frame.get("/help/embed/contact/", **SV).content.decode()
    assert 'hx-get="/help/contact/suggestions/"' in page
    return re.search(r'name="visit" id="contact-visit" value="([^"]+)"', page).group(1)


def test_the_embedded_form_suggests_articles_opening_in_a_tab_of_their_own(client, invoice):
    visit = _embedded_visit(client)
    typed = {"subject": "Hur betalar jag", "description": "min faktura?", "visit": visit}
    page = client.get("/help/contact/suggestions/", typed, **SV).content.decode()

    link = f'href="{ARTICLE}?from=form&amp;visit={quote(visit)}" target="_blank" rel="noopener"'
    assert link in page


def test_an_article_opened_from_the_embedded_form_and_left_is_a_deflection(invoice):
    frame, tab = Client(), Client()  # the frame's visit reaches the tab only in the link
    visit = _embedded_visit(frame)
    tab.get(ARTICLE, {"from": "form", "visit": visit}, **SV)

    assert deflections_record_due(now=later()) == 1
    assert deflections(invoice) == 1


def test_an_article_opened_from_the_embedded_form_then_sent_is_no_deflection(invoice):
    frame, tab = Client(), Client()
    visit = _embedded_visit(frame)
    tab.get(ARTICLE, {"from": "form", "visit": visit}, **SV)
    refused = frame.post("/help/embed/contact/", contact_data(email="nope", visit=visit), **SV)
    assert f'value="{visit}"' in refused.content.decode()  # the same visit goes on

    sent = frame.post("/help/embed/contact/", contact_data(visit=visit), **SV)

    assert sent.status_code == 200
    assert Ticket.objects.count() == 1
    assert deflections_record_due(now=later()) == 0
    assert deflections(invoice) == 0


def test_a_forged_visit_counts_nothing_and_links_stay_in_the_page(client, invoice):
    forged = "0123456789abcdef0123456789abcdef:1kabcd:forged"
    client.get(ARTICLE, {"from": "form", "visit": forged}, **SV)
    typed = {"subject": "Hur betalar jag", "description": "min faktura?", "visit": forged}
    page = client.get("/help/contact/suggestions/", typed, **SV).content.decode()

    assert f'href="{ARTICLE}?from=form">' in page
    assert deflections_record_due(now=later()) == 0

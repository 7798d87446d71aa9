"""The knowledge base in the help centre: browse, search, read an article at the address kb
gives it, say whether it helped; drafts, archived and internal articles stay invisible."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nordesk.kb import services as kb_services
from nordesk.kb.models import Article, ArticleFeedback
from tests.kb.factories import make_article, make_section

pytestmark = pytest.mark.django_db

SV = {"HTTP_ACCEPT_LANGUAGE": "sv"}


@pytest.fixture
def section():
    return make_section()


@pytest.fixture
def invoice(section):
    return make_article(
        section,
        translations={
            "sv": ("Så betalar du fakturan", "Fakturan betalar du i internetbanken <b>i tid</b>.")
        },
    )


def test_home_lists_the_public_articles_in_the_visitors_language(
    client, invoice, section, django_assert_max_num_queries
):
    make_article(section, title="Utkast om faktura", publish=False)
    make_article(section, title="Intern faktura-rutine", audience="internal")

    with django_assert_max_num_queries(10):
        page = client.get("/help/", **SV).content.decode()

    assert 'href="/help/sv/articles/sa-betalar-du-fakturan/"' in page
    assert "Billing" in page  # the category has no Swedish name: English
    assert "Utkast" not in page
    assert "Intern" not in page
    assert 'action="/help/search/"' in page


def test_search_finds_an_inflected_word_with_a_highlighted_snippet(
    client, invoice, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        page = client.get("/help/search/", {"q": "fakturor"}, **SV).content.decode()

    assert 'href="/help/sv/articles/sa-betalar-du-fakturan/"' in page
    assert "<mark>Fakturan</mark>" in page


def test_search_never_shows_drafts_or_internal_articles(client, section):
    make_article(section, title="Hemmelig faktura", publish=False)
    make_article(section, title="Intern faktura", audience="internal")

    page = client.get("/help/search/", {"q": "faktura"}).content.decode()

    assert "No article matches your search" in page


def test_a_too_long_search_is_refused_with_a_reason(client):
    response = client.get("/help/search/", {"q": "x" * 501})

    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()


def test_the_article_page_shows_the_sanitised_text_and_counts_a_view(
    client, invoice, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get("/help/sv/articles/sa-betalar-du-fakturan/", **SV)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<b>i tid</b>" in page
    assert "Was this helpful?" in page or "Var det här till hjälp?" in page
    invoice.refresh_from_db()
    assert invoice.view_count == 1


def test_an_article_in_another_language_or_an_old_address_moves_permanently(client, invoice):
    response = client.get("/help/sv/articles/slik-betaler-du-fakturaen/")

    assert response.status_code == 301
    assert response["Location"] == "/help/sv/articles/sa-betalar-du-fakturan/"


@pytest.mark.parametrize("kind", ["draft", "archived", "internal"])
def test_drafts_archived_and_internal_articles_are_not_found(client, section, kind):
    article = make_article(
        section,
        title="Skjult artikkel",
        publish=kind != "draft",
        audience="internal" if kind == "internal" else "public",
    )
    if kind == "archived":
        kb_services.article_set_status(article=article, status="archived", actor=None)

    assert client.get("/help/nb/articles/skjult-artikkel/").status_code == 404
    assert client.get("/help/nb/articles/skjult-artikkel/feedback/").status_code == 405
    assert (
        client.post("/help/nb/articles/skjult-artikkel/feedback/", {"helpful": "yes"}).status_code
        == 404
    )


def test_an_unknown_language_is_not_found(client, invoice):
    assert client.get("/help/xx/articles/sa-betalar-du-fakturan/").status_code == 404


def test_feedback_with_a_comment_is_stored_once_per_visitor(client, invoice):
    url = "/help/sv/articles/sa-betalar-du-fakturan/feedback/"

    response = client.post(url, {"helpful": "no", "comment": "Saknar Swish"})
    client.post(url, {"helpful": "no", "comment": "igen"})

    assert response["Location"] == "/help/sv/articles/sa-betalar-du-fakturan/#feedback"
    feedback = ArticleFeedback.objects.get()
    assert (feedback.helpful, feedback.comment, feedback.language) == (False, "Saknar Swish", "sv")
    assert Article.objects.get(pk=invoice.pk).helpful_no == 1
    page = client.get("/help/sv/articles/sa-betalar-du-fakturan/").content.decode()
    assert 'name="helpful"' not in page


def test_feedback_needs_the_csrf_token(invoice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/help/sv/articles/sa-betalar-du-fakturan/feedback/", {"helpful": "yes"})

    assert response.status_code == 403
    assert not ArticleFeedback.objects.exists()


def test_a_too_long_comment_is_refused_and_kept_on_the_page(client, invoice):
    response = client.post(
        "/help/sv/articles/sa-betalar-du-fakturan/feedback/",
        {"helpful": "yes", "comment": "lång " * 500},
    )

    assert response.status_code == 400
    assert "lång lång" in response.content.decode()
    assert not ArticleFeedback.objects.exists()


def test_the_articles_files_download_but_not_those_of_a_draft(client, invoice, section):
    stored = kb_services.article_file_add(
        article=invoice,
        file=SimpleUploadedFile("guide.pdf", b"%PDF-1.4 guide", content_type="application/pdf"),
        actor=None,
    )
    draft = make_article(section, title="Utkast", publish=False)
    hidden = kb_services.article_file_add(
        article=draft,
        file=SimpleUploadedFile("hemlig.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        actor=None,
    )

    page = client.get("/help/sv/articles/sa-betalar-du-fakturan/").content.decode()
    download = client.get(f"/help/articles/files/{stored.pk}/")

    assert f'href="/help/articles/files/{stored.pk}/"' in page
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert client.get(f"/help/articles/files/{hidden.pk}/").status_code == 404


def test_home_shows_five_articles_a_section_and_the_category_page_all(
    client, section, django_assert_max_num_queries
):
    for n in range(7):
        make_article(section, title=f"Faktura nummer {n}")
    make_article(section, title="Intern rutine", audience="internal")

    home = client.get("/help/").content.decode()
    with django_assert_max_num_queries(10):
        response = client.get("/help/categories/billing-help/")

    assert home.count('href="/help/en/articles/faktura-nummer-') == 5
    assert 'href="/help/categories/billing-help/"' in home
    whole = response.content.decode()
    assert whole.count('href="/help/en/articles/faktura-nummer-') == 7
    assert "Intern rutine" not in whole


def test_a_category_without_public_articles_is_not_found(client, section):
    make_article(section, title="Intern rutine", audience="internal")

    assert client.get("/help/categories/billing-help/").status_code == 404

import pytest

from nordesk.kb import selectors
from nordesk.kb.errors import ArticleNotFound

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return make_section()


def test_drafts_archived_and_internal_articles_never_reach_the_public(section):
    from nordesk.kb import services

    public = make_article(section, title="Offentlig")
    draft = make_article(section, title="Utkast", publish=False)
    internal = make_article(section, title="Intern", audience="internal")
    archived = make_article(section, title="Arkivert")
    services.article_set_status(article=archived, status="archived", actor=None)
    listing = selectors.category_list_public(language="nb")
    titles = [a.translation.title for c in listing for s in c.sections for a in s.articles]
    assert titles == ["Offentlig"]
    for hidden in (draft, internal, archived):
        slug = hidden.translations.get().slug
        with pytest.raises(ArticleNotFound):
            selectors.article_public_get(language="nb", slug=slug)
    assert selectors.article_public_get(language="nb", slug="offentlig").article.pk == public.pk
    assert selectors.article_suggest(text="utkast intern arkivert", language="nb") == []


def test_public_listing_is_in_the_readers_language_with_fallback(section):
    make_article(
        section,
        language="en",
        title="Paying",
        body="Pay.",
        translations={"sv": ("Betala", "Betala.")},
    )
    [category] = selectors.category_list_public(language="sv")
    assert category.name == "Billing"  # no Swedish name: the English one
    assert [a.translation.title for a in category.sections[0].articles] == ["Betala"]
    [danish] = selectors.category_list_public(language="da")
    assert [a.translation.title for a in danish.sections[0].articles] == ["Paying"]
    assert danish.sections[0].articles[0].path == "/help/da/articles/paying/"


def test_public_listing_costs_two_queries(section, django_assert_num_queries):
    for n in range(5):
        make_article(section, title=f"Artikkel {n}")
    with django_assert_num_queries(2):
        selectors.category_list_public(language="nb")


def test_an_article_without_the_readers_language_is_shown_in_its_fallback(section):
    make_article(section, language="en", title="Paying", body="Pay.")
    found = selectors.article_public_get(language="nn", slug="paying")
    assert (found.translation.language, found.moved_to) == ("en", "")


def test_another_languages_slug_leads_to_the_readers_translation(section):
    make_article(
        section, language="en", title="Paying", body="Pay.", translations={"sv": ("Betala", "B")}
    )
    found = selectors.article_public_get(language="sv", slug="paying")
    assert found.moved_to == "/help/sv/articles/betala/"

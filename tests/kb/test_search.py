import pytest

from nordesk.core.errors import Invalid
from nordesk.kb.search import Reader, article_search
from nordesk.kb.selectors import article_suggest

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return make_section()


def _titles(hits):
    return [hit.translation.title for hit in hits]


def test_article_search_finds_an_inflected_swedish_word(section):
    # given an article about invoices written in Swedish ("fakturan": the invoice)
    make_article(
        section,
        language="sv",
        title="Så betalar du fakturan",
        body="Fakturan betalas via internetbanken före förfallodagen.",
    )
    # when a customer searches another form of the word ("fakturor": invoices)
    hits = article_search(text="fakturor", language="sv", audience=Reader.PUBLIC)
    # then the article is found, the matching words marked
    assert _titles(hits) == ["Så betalar du fakturan"]
    assert "<mark>fakturan</mark>" in hits[0].title


def test_article_search_finds_an_inflected_norwegian_word(section):
    make_article(section, title="Endre passordet", body="Du kan endre passordet under Min side.")
    hits = article_search(text="passord", language="nb", audience=Reader.PUBLIC)
    assert _titles(hits) == ["Endre passordet"]
    assert "<mark>passordet</mark>" in str(hits[0].snippet)


def test_article_search_forgives_a_typo(section):
    make_article(section, title="Slik betaler du fakturaen")
    # "fakutra": two letters swapped
    hits = article_search(text="fakutra", language="nb", audience=Reader.PUBLIC)
    assert _titles(hits) == ["Slik betaler du fakturaen"]


def test_article_search_needs_every_word_when_some_article_has_them_all(section):
    make_article(section, title="Betale faktura", body="Betal i nettbanken.")
    make_article(section, title="Bytte adresse", body="Ny adresse for faktura og levering.")
    hits = article_search(text="faktura adresse", language="nb", audience=Reader.PUBLIC)
    assert _titles(hits) == ["Bytte adresse"]


def test_article_search_ranks_the_title_above_the_text(section):
    make_article(section, title="Levering", body="Når kommer pakken? Om faktura står det lite.")
    make_article(section, title="Faktura", body="Alt om betaling.")
    hits = article_search(text="faktura", language="nb", audience=Reader.PUBLIC)
    assert _titles(hits) == ["Faktura", "Levering"]


def test_article_search_escapes_what_it_highlights(section):
    make_article(section, title="<b>Faktura</b> & betaling", body="faktura <script>x</script>")
    hit = article_search(text="faktura", language="nb", audience=Reader.PUBLIC)[0]
    assert "<b>" not in hit.title
    assert "&amp;" in hit.title
    assert "<script>" not in hit.snippet


def test_article_search_public_never_shows_drafts_or_internal_articles(section):
    make_article(section, title="Faktura utkast", publish=False)
    make_article(section, title="Faktura internt", audience="internal")
    make_article(section, title="Faktura offentlig")
    assert _titles(article_search(text="faktura", language="nb", audience=Reader.PUBLIC)) == [
        "Faktura offentlig"
    ]
    internal = article_search(text="faktura", language="nb", audience=Reader.INTERNAL)
    assert sorted(_titles(internal)) == ["Faktura internt", "Faktura offentlig"]
    with_drafts = article_search(
        text="faktura", language="nb", audience=Reader.INTERNAL, include_drafts=True
    )
    assert len(with_drafts) == 3


def test_article_search_shows_the_fallback_translation_once(section):
    make_article(
        section,
        language="en",
        title="Paying the invoice",
        body="Pay the invoice in your online bank.",
        translations={"sv": ("Betala fakturan", "Betala fakturan i internetbanken.")},
    )
    # Danish has no translation: the English one (the fallback) is shown.
    assert _titles(article_search(text="invoice", language="da", audience=Reader.PUBLIC)) == [
        "Paying the invoice"
    ]
    # Swedish has one: the English text is not shown to a Swedish reader.
    assert article_search(text="invoice", language="sv", audience=Reader.PUBLIC) == []
    assert _titles(article_search(text="fakturan", language="sv", audience=Reader.PUBLIC)) == [
        "Betala fakturan"
    ]


def test_article_search_ranks_popular_articles_first_among_equal_matches(section):
    quiet = make_article(section, title="Faktura A", body="Betal.")
    popular = make_article(section, title="Faktura B", body="Betal.")
    from nordesk.kb import services

    for _ in range(5):
        services.article_feedback_record(article_id=popular.pk, language="nb", helpful=True)
    hits = article_search(text="faktura", language="nb", audience=Reader.PUBLIC)
    assert [h.article.pk for h in hits] == [popular.pk, quiet.pk]


def test_article_search_refuses_a_long_query():
    with pytest.raises(Invalid):
        article_search(text="x" * 501, language="nb", audience=Reader.PUBLIC)


def test_article_suggest_finds_articles_from_a_customers_sentence(section):
    make_article(section, title="Endre passordet", body="Slik endrer du passordet ditt.")
    make_article(section, title="Faktura", body="Betal fakturaen.")
    make_article(section, title="Internt om passord", audience="internal")
    typed = "Hei, jeg har glemt passordet mitt og kommer ikke inn"
    hits = article_suggest(text=typed, language="nb")
    assert _titles(hits) == ["Endre passordet"]


def test_a_hit_knows_its_address_in_the_readers_language(section):
    make_article(section, language="en", title="Paying the invoice", body="Pay.")
    [hit] = article_suggest(text="invoice", language="da")
    assert hit.path == "/help/da/articles/paying-the-invoice/"


def test_cli_search_reindex_indexes_every_article_again(section, capsys):
    from django.db import connection

    from nordesk import cli

    make_article(section, title="Slik betaler du fakturaen")
    with connection.cursor() as cursor:  # a bulk load that bypassed the services, say
        if connection.vendor == "postgresql":
            cursor.execute("UPDATE kb_articletranslation SET document = NULL")
        else:
            cursor.execute("DELETE FROM kb_search_fts")
    assert article_search(text="faktura", language="nb", audience=Reader.PUBLIC) == []

    assert cli.main(["search-reindex"]) == 0

    assert "Indexed 1 knowledge base articles for search." in capsys.readouterr().out
    assert _titles(article_search(text="faktura", language="nb", audience=Reader.PUBLIC)) == [
        "Slik betaler du fakturaen"
    ]


def test_article_search_finds_a_swedish_definite_form_the_stemmer_keeps(section):
    # Snowball's Swedish stemmer leaves "lösenordet" (the password) as it is.
    make_article(section, language="sv", title="Byt lösenord", body="Gå till Mina sidor.")
    hits = article_search(text="glömt lösenordet", language="sv", audience=Reader.PUBLIC)
    assert _titles(hits) == ["Byt lösenord"]

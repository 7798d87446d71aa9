"""Knowledge base search: one interface (`article_search`) over two backends, the words read as
ticket search reads them (core.fulltext: Snowball stems in Norwegian, Danish, Swedish and
English, or as typed; a stem of four letters or more also a prefix).

PostgreSQL keeps a tsvector per translation, made with its language's configuration, the title
weighted A and the text D, under a GIN index; SQLite keeps the stemmed words of title and text
in two columns of an FTS5 table. A search word no article has also matches the words one edit
away (kb.typos). Ranking: the text rank (title counting ten times the text) times a popularity
factor between 1 and 2 from views and helpful votes. A reader sees each article once, in their
language or, when it has no translation in it, in its fallback language.

Index maintenance is done by the save service: one translation's words are one statement on
PostgreSQL and two on SQLite, and a handful of new words for the typo vocabulary."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from nordesk.core.errors import Invalid
from nordesk.core.fulltext import (
    MAX_WORDS,
    SNIPPET_CHARS,
    STEMMER_OF_LANGUAGE,
    SearchTerms,
    fts5_term,
    fts5_words,
    highlighted,
    stem,
    stemmers_of,
    words,
)
from nordesk.core.stopwords import STOP_WORDS

from . import typos
from .models import Article, ArticleTranslation, Audience, Language, Status

MAX_QUERY_CHARS = 500
# Any of a customer's words (a suggestion for what they type): the few longest words say what
# the text is about; every other word added costs time and finds less relevant articles.
ANY_WORDS_MAX = 4
FTS_TABLE = "kb_search_fts"
TRANSLATIONS = ArticleTranslation._meta.db_table
ARTICLES = Article._meta.db_table
# Views and votes lift an article by at most twice its text rank: popularity orders articles
# that match alike, it never buries a better match.
_VOTES = "(a.view_count + 10 * a.helpful_yes - 5 * a.helpful_no)"
_POPULAR = f"(CASE WHEN {_VOTES} > 0 THEN {_VOTES} ELSE 0 END)"
POPULARITY = f"(1.0 + {_POPULAR} / ({_POPULAR} + 100.0))"


class Reader:
    """Who reads: customers see published public articles; agents every published one, and
    with drafts (the knowledge base's own pages) drafts and archived ones too."""

    PUBLIC = "public"
    INTERNAL = "internal"


@dataclass(frozen=True)
class ArticleHit:
    translation: ArticleTranslation  # with .article and its section
    title: SafeString
    snippet: SafeString
    language: str  # the reader's

    @property
    def article(self) -> Article:
        return self.translation.article

    @property
    def path(self) -> str:
        """Where the reader reads it in the portal (see `article_public_path`)."""
        return article_public_path(language=self.language, slug=self.translation.slug)


PUBLIC_PATH = "/help/{language}/articles/{slug}/"


def article_public_path(*, language: str, slug: str) -> str:
    """Where the portal shows an article: stable and readable, one per language; a reader of a
    language the article is not written in reads its fallback under their own language."""
    return PUBLIC_PATH.format(language=language, slug=slug)


def article_search(
    *,
    text: str,
    language: str,
    audience: str,
    limit: int = 10,
    include_drafts: bool = False,
    every_word: bool = True,
) -> list[ArticleHit]:
    """The articles matching `text` best, for a reader in `language`: every word (stop words
    aside) when some article has them all, else as many as possible. `audience` is
    Reader.PUBLIC (customers: published, public) or Reader.INTERNAL (agents: internal too;
    with `include_drafts`, drafts and archived as well)."""
    if len(text) > MAX_QUERY_CHARS:
        raise Invalid(
            _("Search for at most %(count)d characters.") % {"count": MAX_QUERY_CHARS}, field="q"
        )
    if language not in Language.values:
        raise Invalid(_("Choose one of the knowledge base's languages."), field="language")
    terms = _terms(text, language, most=MAX_WORDS if every_word else ANY_WORDS_MAX)
    if terms is None:
        return []
    scope = _scope(audience, include_drafts=include_drafts)
    ranked = _ranked(terms, language, scope, limit, every_word=every_word)
    if not ranked and every_word and len(terms.groups) > 1:
        ranked = _ranked(terms, language, scope, limit, every_word=False)
    return _hits(ranked, terms, language)


def _terms(text: str, language: str, *, most: int) -> SearchTerms | None:
    """The words that say what is looked for, read in the reader's language (and as typed):
    stop words are left out unless nothing else was typed; of more than `most` words, the
    longest (the likeliest to say what the text is about)."""
    stemmer = STEMMER_OF_LANGUAGE[language]
    typed = list(dict.fromkeys(words(text)))
    kept = [w for w in typed if w not in STOP_WORDS[stemmer]] or typed
    if len(kept) > most:
        longest = set(sorted(kept, key=len, reverse=True)[:most])
        kept = [w for w in kept if w in longest][:most]
    return SearchTerms.parse(
        " ".join(kept), alternatives=typos.alternatives(kept), stemmers=(stemmer,)
    )


def _scope(audience: str, *, include_drafts: bool) -> tuple[list[str], list[str]]:
    if audience == Reader.PUBLIC:
        return [Status.PUBLISHED], [Audience.PUBLIC]
    if audience != Reader.INTERNAL:
        raise Invalid(_("Choose public or internal."), field="audience")
    statuses = Status.values if include_drafts else [Status.PUBLISHED]
    return list(statuses), list(Audience.values)


SCOPE_SQL = "a.status IN ({statuses}) AND a.audience IN ({audiences})"


def shown_token(language: str) -> str:
    """A word in the index of each translation shown to readers of `language`: the one in
    `language`, or the fallback language's when the article has none in it. The search asks
    for it with the reader's words, so the index alone picks each article's one translation."""
    return f"shown{language}"


def _ranked(
    terms: SearchTerms,
    language: str,
    scope: tuple[list[str], list[str]],
    limit: int,
    *,
    every_word: bool,
) -> list[int]:
    statuses, audiences = scope
    in_scope = SCOPE_SQL.format(
        statuses=", ".join(["%s"] * len(statuses)), audiences=", ".join(["%s"] * len(audiences))
    )
    if connection.vendor == "postgresql":
        query, query_params = _pg_query(terms, every_word=every_word)
        # Materialised: the query is made once, not again for each row it is tested on.
        sql = (
            f"WITH q AS MATERIALIZED (SELECT ({query}) && %s::tsquery AS q) "  # noqa: S608
            f"SELECT t.id FROM {TRANSLATIONS} t JOIN {ARTICLES} a ON a.id = t.article_id "
            f"CROSS JOIN q WHERE t.document @@ q.q AND {in_scope} "
            f"ORDER BY ts_rank(t.document, q.q) * {POPULARITY} DESC, t.id LIMIT %s"
        )
        shown = f"'{shown_token(language)}'"
        params: list[str | int] = [*query_params, shown, *statuses, *audiences, limit]
    else:
        match = f"shown:{shown_token(language)} AND ({_fts5_match(terms, every_word=every_word)})"
        sql = (
            f"SELECT t.id FROM {FTS_TABLE} f JOIN {TRANSLATIONS} t ON t.id = f.rowid "  # noqa: S608
            f"JOIN {ARTICLES} a ON a.id = t.article_id "
            f"WHERE {FTS_TABLE} MATCH %s AND {in_scope} "
            f"ORDER BY bm25({FTS_TABLE}, 10.0, 1.0, 0.0) * {POPULARITY}, t.id LIMIT %s"
        )
        params = [match, *statuses, *audiences, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _pg_query(terms: SearchTerms, *, every_word: bool) -> tuple[str, list[str]]:
    """Every word (or any), each as itself or one of its alternatives, in one reading at least
    (nordesk_search_query, made by the tickets app's migration 0008, reads one word in one
    configuration: its stems, stop words dropped)."""
    readings: list[str] = []
    params: list[str] = []
    for name in terms.readings:
        groups = []
        for group in terms.groups:
            calls = " || ".join(f"nordesk_search_query('{name}', %s)" for _ in group)
            groups.append(f"({calls})")
            params.extend(group)
        readings.append("(" + (" && " if every_word else " || ").join(groups) + ")")
    return " || ".join(readings), params


def _fts5_match(terms: SearchTerms, *, every_word: bool) -> str:
    if every_word:
        return terms.fts5_match()
    every_term = {t for reading in terms.readings.values() for w in reading for t in w}
    return " OR ".join(map(fts5_term, sorted(every_term)))


def _hits(ranked: list[int], terms: SearchTerms, language: str) -> list[ArticleHit]:
    rows = ArticleTranslation.objects.select_related("article__section__category").in_bulk(ranked)
    hits = []
    for translation_id in ranked:
        translation = rows[translation_id]
        matches = terms.matcher(stemmers_of(translation.language))
        hits.append(
            ArticleHit(
                translation=translation,
                title=highlighted(translation.title, matches),
                snippet=highlighted(translation.body_text, matches, limit=SNIPPET_CHARS),
                language=language,
            )
        )
    return hits


# --- the index ------------------------------------------------------------------------------

_CONFIG_OF_ROW = (
    "(CASE t.language "
    + " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in STEMMER_OF_LANGUAGE.items())
    + " END)::regconfig"
)
# Punctuation becomes space, as in core.fulltext.words.
PG_INDEX_SQL = f"""
UPDATE {TRANSLATIONS} t SET document =
  setweight(to_tsvector({_CONFIG_OF_ROW}, regexp_replace(t.title, '[^[:alnum:]]+', ' ', 'g')), 'A')
  || setweight(
       to_tsvector({_CONFIG_OF_ROW}, regexp_replace(t.body_text, '[^[:alnum:]]+', ' ', 'g')), 'D')
  || array_to_tsvector(string_to_array(v.shown, ' '))
FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS shown) v
WHERE t.id = v.id
"""  # noqa: S608 - table name and constants only


def articles_index(article_ids: list[int]) -> None:
    """Make every translation of the articles searchable (called by the services that change
    an article's texts or its fallback language, one article at a time: one statement on
    PostgreSQL, two on SQLite, and the new words for typos; and in batches by bulk loads)."""
    translations = list(
        ArticleTranslation.objects.filter(article_id__in=article_ids).select_related("article")
    )
    if not translations:
        return
    written: dict[int, set[str]] = {}
    for t in translations:
        written.setdefault(t.article_id, set()).add(t.language)
    shown = {
        t.pk: " ".join(map(shown_token, _shown_in(t, written[t.article_id]))) for t in translations
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(PG_INDEX_SQL, [list(shown), list(shown.values())])
    else:
        _sqlite_index(translations, shown)
    # Stems too: "fakutra" is one edit from "faktura", the stem of the text's "fakturaen".
    learnt: set[str] = set()
    for t in translations:
        typed = set(words(f"{t.title} {t.body_text}"))
        learnt |= typed | {stem(name, w) for w in typed for name in stemmers_of(t.language)}
    typos.words_learn(learnt)


def translations_unindex(translation_ids: list[int]) -> None:
    """Forget translations about to be deleted. PostgreSQL keeps their words on their own rows;
    SQLite's FTS table is apart from them."""
    if connection.vendor == "sqlite" and translation_ids:
        with connection.cursor() as cursor:
            _fts_forget(cursor, translation_ids)


def _fts_forget(cursor, translation_ids: list[int]) -> None:
    placeholders = ", ".join(["%s"] * len(translation_ids))
    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", translation_ids)  # noqa: S608


def _shown_in(translation: ArticleTranslation, written: set[str]) -> list[str]:
    if translation.language != translation.article.fallback_language:
        return [translation.language]
    return [translation.language, *(code for code in Language.values if code not in written)]


def _sqlite_index(translations: list[ArticleTranslation], shown: dict[int, str]) -> None:
    rows = []
    for t in translations:
        stemmers = stemmers_of(t.language)
        rows.append(
            (
                t.pk,
                fts5_words([t.title], stemmers),
                fts5_words([t.body_text], stemmers),
                shown[t.pk],
            )
        )
    with connection.cursor() as cursor:
        _fts_forget(cursor, [t.pk for t in translations])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body, shown) VALUES (%s, %s, %s, %s)",  # noqa: S608
            rows,
        )


def articles_reindex(*, batch_size: int = 200) -> int:
    """Index every article again (`nordesk search-reindex`, after loads that bypass the
    services), in batches of their own transaction. Returns how many articles."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - words of deleted rows too
    indexed, after = 0, 0
    while True:
        ids = list(
            Article.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return indexed
        with transaction.atomic():
            articles_index(ids)
        indexed += len(ids)
        after = ids[-1]

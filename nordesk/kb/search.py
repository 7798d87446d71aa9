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

from django.db import connection
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from nordesk.core.errors import Invalid
from nordesk.core.fulltext import (
    SIMPLE,
    SNIPPET_CHARS,
    STEMMER_OF_LANGUAGE,
    STEMMERS,
    SearchTerms,
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

    @property
    def article(self) -> Article:
        return self.translation.article


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
    terms = _terms(text, language)
    if terms is None:
        return []
    scope = _scope(audience, include_drafts=include_drafts)
    ranked = _ranked(terms, language, scope, limit, every_word=every_word)
    if not ranked and every_word and len(terms.groups) > 1:
        ranked = _ranked(terms, language, scope, limit, every_word=False)
    return _hits(ranked, terms)


def _terms(text: str, language: str) -> SearchTerms | None:
    """The words that say what is looked for: stop words of the reader's language are left
    out unless nothing else was typed."""
    stop = STOP_WORDS[STEMMER_OF_LANGUAGE[language]]
    typed = words(text)
    kept = [w for w in typed if w not in stop] or typed
    return SearchTerms.parse(" ".join(kept), alternatives=typos.alternatives(kept))


def _scope(audience: str, *, include_drafts: bool) -> tuple[list[str], list[str]]:
    if audience == Reader.PUBLIC:
        return [Status.PUBLISHED], [Audience.PUBLIC]
    if audience != Reader.INTERNAL:
        raise Invalid(_("Choose public or internal."), field="audience")
    statuses = Status.values if include_drafts else [Status.PUBLISHED]
    return list(statuses), list(Audience.values)


# A translation is shown in `language` when it is in it, or when it is in its article's
# fallback language and the article has none in `language`.
SHOWN_SQL = f"""
(t.language = %s OR (t.language = a.fallback_language AND NOT EXISTS (
  SELECT 1 FROM {TRANSLATIONS} o WHERE o.article_id = t.article_id AND o.language = %s)))
AND a.status IN ({{statuses}}) AND a.audience IN ({{audiences}})
"""  # noqa: S608 - table names only


def _ranked(
    terms: SearchTerms,
    language: str,
    scope: tuple[list[str], list[str]],
    limit: int,
    *,
    every_word: bool,
) -> list[int]:
    statuses, audiences = scope
    shown = SHOWN_SQL.format(
        statuses=", ".join(["%s"] * len(statuses)), audiences=", ".join(["%s"] * len(audiences))
    )
    shown_params = [language, language, *statuses, *audiences]
    if connection.vendor == "postgresql":
        query, query_params = _pg_query(terms, every_word=every_word)
        sql = (
            f"SELECT t.id FROM {TRANSLATIONS} t JOIN {ARTICLES} a ON a.id = t.article_id "  # noqa: S608
            f"CROSS JOIN (SELECT {query} AS q) q "
            f"WHERE t.document @@ q.q AND {shown} "
            f"ORDER BY ts_rank(t.document, q.q) * {POPULARITY} DESC, t.id LIMIT %s"
        )
        params: list[str | int] = [*query_params, *shown_params, limit]
    else:
        sql = (
            f"SELECT t.id FROM {FTS_TABLE} f JOIN {TRANSLATIONS} t ON t.id = f.rowid "  # noqa: S608
            f"JOIN {ARTICLES} a ON a.id = t.article_id "
            f"WHERE {FTS_TABLE} MATCH %s AND {shown} "
            f"ORDER BY bm25({FTS_TABLE}, 10.0, 1.0) * {POPULARITY}, t.id LIMIT %s"
        )
        params = [terms.fts5_match(every_word=every_word), *shown_params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _pg_query(terms: SearchTerms, *, every_word: bool) -> tuple[str, list[str]]:
    """Every word (or any), each as itself or one of its alternatives, in one reading at least
    (nordesk_search_query, made by the tickets app's migration 0008, reads one word in one
    configuration: its stems, stop words dropped)."""
    join = " && " if every_word else " || "
    readings: list[str] = []
    params: list[str] = []
    for name in (*STEMMERS, SIMPLE):
        groups = []
        for group in terms.groups:
            groups.append(
                "(" + " || ".join(f"nordesk_search_query('{name}', %s)" for _ in group) + ")"
            )
            params.extend(group)
        readings.append("(" + join.join(groups) + ")")
    return " || ".join(readings), params


def _hits(ranked: list[int], terms: SearchTerms) -> list[ArticleHit]:
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
            )
        )
    return hits


# --- the index ------------------------------------------------------------------------------

PG_INDEX_SQL = f"""
UPDATE {TRANSLATIONS} SET document =
  setweight(to_tsvector(%s::regconfig, regexp_replace(title, '[^[:alnum:]]+', ' ', 'g')), 'A')
  || setweight(to_tsvector(%s::regconfig, regexp_replace(body_text, '[^[:alnum:]]+', ' ', 'g')),
               'D')
WHERE id = %s
"""  # noqa: S608 - table name only


def translation_index(translation: ArticleTranslation) -> None:
    """Make the translation's words searchable (called by the service that saved it)."""
    if connection.vendor == "postgresql":
        config = STEMMER_OF_LANGUAGE[translation.language]
        with connection.cursor() as cursor:
            cursor.execute(PG_INDEX_SQL, [config, config, translation.pk])
    else:
        stemmers = stemmers_of(translation.language)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [translation.pk])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
                [
                    translation.pk,
                    fts5_words([translation.title], stemmers),
                    fts5_words([translation.body_text], stemmers),
                ],
            )
    # Stems too: "fakutra" is one edit from "faktura", the stem of the text's "fakturaen".
    written = set(words(f"{translation.title} {translation.body_text}"))
    stemmers = stemmers_of(translation.language)
    typos.words_learn(written | {stem(name, w) for w in written for name in stemmers})

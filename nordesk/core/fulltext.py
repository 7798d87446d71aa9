"""How search reads text, the same for both backends: words are runs of letters and digits,
lowercased; a word matches another when their Snowball stems in one language agree, a stem of
four letters or more also matching the longer stems it begins ("faktura" finds "fakturaen" and
the Swedish "fakturan", which neither stemmer reduces to "faktur"). PostgreSQL stems with its
own configurations; SQLite's FTS5 has no Nordic stemmer, so its words are stemmed here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A language code -> the Snowball stemmer, which is also PostgreSQL's configuration name.
STEMMER_OF_LANGUAGE = {
    "nb": "norwegian",
    "nn": "norwegian",
    "da": "danish",
    "sv": "swedish",
    "en": "english",
}
STEMMERS = ("norwegian", "danish", "swedish", "english")
SIMPLE = "simple"
PREFIX_MIN = 4
MAX_WORDS = 12
SNIPPET_CHARS = 160
SNIPPET_BEFORE = 50
# A snippet is looked for in the start of a long thread only: beyond it the snippet is the
# thread's beginning (the text still matched).
SNIPPET_SCAN_CHARS = 20_000

WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    return [match.group().lower() for match in WORD.finditer(text)]


@lru_cache(maxsize=65_536)
def stem(stemmer: str, word: str) -> str:
    return _stemmer(stemmer).stemWord(word)


@lru_cache(maxsize=len(STEMMERS))
def _stemmer(name: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(name)


def stemmers_of(language: str) -> tuple[str, ...]:
    """A text in a known language is stemmed in it; one whose language is not known yet in
    all four, so that a search in any of them finds it."""
    known = STEMMER_OF_LANGUAGE.get(language)
    return (known,) if known else STEMMERS


def term_matches(word_stem: str, term: str) -> bool:
    return word_stem == term or (len(term) >= PREFIX_MIN and word_stem.startswith(term))


@dataclass(frozen=True)
class SearchTerms:
    """What an agent typed: its words (at most MAX_WORDS) and, per reading (each stemmer, and
    "simple": the words as typed), each word's terms. A word's terms are its stem and the stem
    of that stem: the Norwegian stemmer takes "fakturaen" to "faktura" but "faktura" to
    "faktur", and stemming twice meets it there."""

    words: tuple[str, ...]
    readings: dict[str, tuple[frozenset[str], ...]]
    # Per word: the word, then the words it may have been meant as (typos read by the caller).
    groups: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def parse(
        cls,
        text: str,
        *,
        alternatives: Mapping[str, Iterable[str]] | None = None,
        stemmers: tuple[str, ...] = STEMMERS,
    ) -> SearchTerms | None:
        """None when there is nothing to look for (empty, or only punctuation). A word with
        `alternatives` matches where it or one of them does. A search in a known language
        reads its words with that language's `stemmers` only."""
        found = tuple(dict.fromkeys(words(text)))[:MAX_WORDS]
        if not found:
            return None
        alternatives = alternatives or {}
        groups = tuple((w, *alternatives.get(w, ())) for w in found)
        readings = {
            name: tuple(
                frozenset(t for w in group for t in (stem(name, w), stem(name, stem(name, w))))
                for group in groups
            )
            for name in stemmers
        }
        readings[SIMPLE] = tuple(frozenset(group) for group in groups)
        return cls(words=found, readings=readings, groups=groups)

    def fts5_match(self) -> str:
        """An FTS5 expression: every word, in one reading at least. Terms hold only letters
        and digits; quoting them still keeps FTS5's syntax (NEAR, *, ^, AND) out."""
        alternatives = dict.fromkeys(
            " AND ".join(f"({' OR '.join(map(fts5_term, sorted(w)))})" for w in reading)
            for reading in self.readings.values()
        )
        return " OR ".join(f"({alternative})" for alternative in alternatives)

    def matcher(self, stemmers: Iterable[str]):
        """A test of one lowercased word of a text stemmed with `stemmers`, for highlighting:
        it matches when one of its stems matches a term of any reading."""
        terms = {term for reading in self.readings.values() for w in reading for term in w}
        names = tuple(stemmers)

        def matches(word: str) -> bool:
            return any(
                term_matches(stem(name, word), term) for name in names for term in terms
            ) or any(term_matches(word, term) for term in terms)

        return matches


def fts5_term(term: str) -> str:
    quoted = '"' + term.replace('"', '""') + '"'
    return f"{quoted}*" if len(term) >= PREFIX_MIN else quoted


def fts5_words(texts: Iterable[str], stemmers: tuple[str, ...]) -> str:
    return " ".join(
        dict.fromkeys(
            stem(name, word) for text in texts for word in words(text) for name in stemmers
        )
    )


def highlighted(text: str, matches, *, limit: int | None = None) -> SafeString:
    """`text` escaped, on one line, its matching words in <mark>. With a `limit`, about that
    many characters around the first match (or from the start when none is found)."""
    text = " ".join(text[: SNIPPET_SCAN_CHARS if limit else None].split())
    start, end = 0, len(text)
    if limit:
        first = next((m for m in WORD.finditer(text) if matches(m.group().lower())), None)
        start = _word_start(text, first.start() - SNIPPET_BEFORE) if first else 0
        end = min(len(text), start + limit)
    parts = ["…" if start else ""]
    position = start
    for match in WORD.finditer(text, start, end):
        if match.end() > end:
            break
        if matches(match.group().lower()):
            parts += [
                escape(text[position : match.start()]),
                f"<mark>{escape(match.group())}</mark>",
            ]
            position = match.end()
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the text is escaped above


def _word_start(text: str, at: int) -> int:
    """The start of the word after `at` (0 when that is before the text starts)."""
    if at <= 0:
        return 0
    space = text.find(" ", at)
    return space + 1 if space != -1 else at

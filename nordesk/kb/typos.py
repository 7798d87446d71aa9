"""Reading a typo the same way on both databases: every word of the articles (lowercased,
four to 64 letters, no digits) is kept once in `Word`, with its deletions (the word with one
letter left out) in `WordVariant`. A search word no article has is looked up by its own
deletions: a word one edit away (a letter missing, extra, wrong or two swapped) shares one of
them with it (the SymSpell idea). Measured: PostgreSQL's pg_trgm rates "fakura" against
"faktura" at 0.5, below its default threshold; this finds it, by index, in one query."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from .models import Word, WordVariant

MIN_LENGTH = 4
MAX_LENGTH = 64
MAX_ALTERNATIVES = 3
ENDING_MAX = 3  # letters of an inflection's ending: -et, -en, -ene, -na
CHUNK = 2000  # words per query: within SQLite's limit of bound parameters


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def words_learn(words: Iterable[str]) -> None:
    """Keep the words not kept yet (a text's words, say, when an article is saved). Words are
    never forgotten: one no article has any more only offers a correction that finds nothing."""
    wanted = sorted({w for w in words if _kept(w)})
    for start in range(0, len(wanted), CHUNK):
        _learn(wanted[start : start + CHUNK])


def _learn(wanted: list[str]) -> None:
    known = set(Word.objects.filter(word__in=wanted).values_list("word", flat=True))
    new = [w for w in wanted if w not in known]
    if not new:
        return
    Word.objects.bulk_create([Word(word=w) for w in new], ignore_conflicts=True)
    ids = dict(Word.objects.filter(word__in=new).values_list("word", "id"))
    WordVariant.objects.bulk_create(
        [
            WordVariant(variant=variant, word_id=ids[w])
            for w in new
            for variant in ({w} | deletions(w))
        ],
        batch_size=5000,
    )


def alternatives(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """For each word no article has, the known words it may have been meant as (at most
    three): its beginning without an ending the stemmer keeps (the Swedish "lösenordet", the
    password, is "lösenord" to an article: Snowball leaves "-et" on), else the words one edit
    away, shortest first. Two queries however many words."""
    candidates = [w for w in dict.fromkeys(words) if _kept(w)]
    if not candidates:
        return {}
    beginnings = {w: _beginnings(w) for w in candidates}
    asked = {*candidates, *(b for found in beginnings.values() for b in found)}
    known = set(Word.objects.filter(word__in=asked).values_list("word", flat=True))
    unknown = [w for w in candidates if w not in known]
    if not unknown:
        return {}
    variants = {v for w in unknown for v in ({w} | deletions(w))}
    placeholders = ", ".join(["%s"] * len(variants))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT w.word FROM {WordVariant._meta.db_table} v "  # noqa: S608
            f"JOIN {Word._meta.db_table} w ON w.id = v.word_id "
            f"WHERE v.variant IN ({placeholders})",
            sorted(variants),
        )
        near = [row[0] for row in cursor.fetchall()]
    found = {}
    for word in unknown:
        close = sorted((n for n in near if one_edit_apart(word, n)), key=lambda n: (len(n), n))
        meant = [b for b in beginnings[word] if b in known] + close
        if meant:
            found[word] = tuple(dict.fromkeys(meant))[:MAX_ALTERNATIVES]
    return found


def _beginnings(word: str) -> list[str]:
    """The word without its last one to ENDING_MAX letters, longest first, from MIN_LENGTH
    letters on."""
    return [word[:-n] for n in range(1, ENDING_MAX + 1) if len(word) - n >= MIN_LENGTH + 1]


def _kept(word: str) -> bool:
    """Words of letters: a mistyped number (an order, an amount) is no other number."""
    return MIN_LENGTH <= len(word) <= MAX_LENGTH and word.isalpha()


def one_edit_apart(a: str, b: str) -> bool:
    """One letter inserted, deleted or replaced, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))

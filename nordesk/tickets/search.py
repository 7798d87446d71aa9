"""Full-text search for agents over ticket subjects, message texts (internal notes too) and
customers (name, email and phone identities): one interface, two backends.

PostgreSQL keeps a tsvector per ticket, made with the configuration of the ticket's language
(`norwegian` for nb and nn, `danish`, `swedish`, `english`; all four for a ticket whose language
is not known) and searched through a GIN index. SQLite keeps the words, stemmed in Python with
the same Snowball stemmers, in an FTS5 table. core.fulltext says how words match.

Nothing is indexed on the intake path: `search_index_pending` (a job every minute) indexes the
tickets whose `updated_at` differs from the one their index row was made from, in batches."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
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
    stemmers_of,
)

from . import listing
from .models import Ticket, TicketSearchEntry
from .selectors import ticket_visible_qs

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

MAX_QUERY_CHARS = 500
# Words past this many characters of a thread are not indexed (a tsvector holds 1 MB at most).
BODY_MAX_CHARS = 100_000
FTS_TABLE = "tickets_search_fts"
ENTRY_TABLE = TicketSearchEntry._meta.db_table
NUMBER = re.compile(r"#?(\d{1,12})")
FEW_MATCHES = 2000


@dataclass(frozen=True)
class SearchHit:
    ticket: Ticket
    subject: SafeString
    snippet: SafeString


def ticket_search(
    *, agent: Agent, text: str, limit: int = 25, cursor: str | None = None
) -> tuple[list[SearchHit], str | None]:
    """The agent's tickets matching every word of `text`, most recently updated first, and the
    next page's cursor. The ticket whose number is `text` ("123", "#123") comes first."""
    if len(text) > MAX_QUERY_CHARS:
        raise Invalid(
            _("Search for at most %(count)d characters.") % {"count": MAX_QUERY_CHARS}, field="q"
        )
    terms = SearchTerms.parse(text)
    if terms is None:
        return [], None
    order = listing.SORT_ORDERS[listing.SORT_UPDATED]
    visible = ticket_visible_qs(agent).select_related("customer", "team", "assignee")
    numbered = None if cursor else _ticket_numbered(visible, text)
    qs = visible.filter(_matching(terms))
    if numbered is not None:
        qs = qs.exclude(pk=numbered.pk)
    if cursor:
        qs = qs.filter(order.after(listing.cursor_decode(order, cursor)))
    rows = list(qs.order_by(*order.ordering())[: limit + 1])
    next_cursor = listing.cursor_encode(order, rows[limit - 1]) if len(rows) > limit else None
    tickets = [numbered, *rows[:limit]] if numbered is not None else rows[:limit]
    return _hits(tickets, terms), next_cursor


def _ticket_numbered(visible, text: str) -> Ticket | None:
    match = NUMBER.fullmatch(text.strip())
    if match is None:
        return None
    return next(iter(visible.filter(number=int(match.group(1)))), None)


def _matching(terms: SearchTerms) -> Q:
    """The matching tickets: by their ids when there are few, else by a check of each ticket in
    the page's order. Neither database can tell how many tickets a word matches: told nothing,
    PostgreSQL walks every visible ticket for a rare word's few, or gathers every ticket a
    common word matches to keep a page of them. A list of known length is looked up by key; on
    PostgreSQL a common word is checked per ticket (OFFSET 0 keeps it a check, not a join), so
    a page of matches comes soon. FTS5 answers a MATCH whole, so SQLite reads them once."""
    with connection.cursor() as cursor:
        cursor.execute(f"{_ids_sql()} LIMIT %s", [*_match_params(terms), FEW_MATCHES + 1])
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) <= FEW_MATCHES:
        return Q(id__in=ids)
    if connection.vendor == "sqlite":
        return Q(id__in=RawSQL(_ids_sql(), _match_params(terms)))  # noqa: S611 - parameters
    check = RawSQL(  # noqa: S611 - the words are parameters
        f"EXISTS ({_ids_sql()} AND ticket_id = {Ticket._meta.db_table}.id OFFSET 0)",  # noqa: S608
        _match_params(terms),
        output_field=BooleanField(),
    )
    return Q(check)


def _ids_sql() -> str:
    if connection.vendor == "postgresql":
        return f"SELECT ticket_id FROM {ENTRY_TABLE} WHERE document @@ ({PG_QUERY})"  # noqa: S608
    return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608


def _match_params(terms: SearchTerms) -> list[str]:
    if connection.vendor == "postgresql":
        return [" ".join(terms.words)] * (len(STEMMERS) + 1)
    return [terms.fts5_match()]


def _hits(tickets: list[Ticket], terms: SearchTerms) -> list[SearchHit]:
    bodies = dict(
        TicketSearchEntry.objects.filter(ticket_id__in=[t.pk for t in tickets]).values_list(
            "ticket_id", "body"
        )
    )
    hits = []
    for ticket in tickets:
        matches = terms.matcher(stemmers_of(ticket.language))
        hits.append(
            SearchHit(
                ticket=ticket,
                subject=highlighted(ticket.subject, matches),
                snippet=highlighted(bodies.get(ticket.pk, ""), matches, limit=SNIPPET_CHARS),
            )
        )
    return hits


# --- PostgreSQL -----------------------------------------------------------------------------

# Every word in one reading at least (nordesk_search_query, made by migration 0008).
PG_QUERY = " || ".join(f"nordesk_search_query('{name}', %s)" for name in (*STEMMERS, SIMPLE))


def _pg_document(words: str) -> str:
    by_language = " ".join(
        f"WHEN t.language = '{code}' THEN to_tsvector('{name}', {words})"
        for code, name in STEMMER_OF_LANGUAGE.items()
    )
    every = " || ".join(f"to_tsvector('{name}', {words})" for name in STEMMERS)
    return f"CASE {by_language} ELSE {every} END"


# One statement per batch: a ticket's text and the `updated_at` it is indexed at are read
# together. Punctuation becomes space, as in core.fulltext.words: "kari@example.no" is found by
# "kari" and "example.no" by "example no".
PG_INDEX_SQL = f"""
INSERT INTO {ENTRY_TABLE} (ticket_id, version, body, document)
SELECT t.id, t.updated_at, m.body, {_pg_document("d.words")}
FROM tickets_ticket t
JOIN customers_customer c ON c.id = t.customer_id
CROSS JOIN LATERAL (
  SELECT left(coalesce(string_agg(x.text, E'\\n' ORDER BY x.created_at, x.id), ''),
              {BODY_MAX_CHARS}) AS body FROM tickets_message x WHERE x.ticket_id = t.id) m
CROSS JOIN LATERAL (
  SELECT coalesce(string_agg(i.address, ' '), '') AS addresses
  FROM customers_identity i WHERE i.customer_id = t.customer_id) a
CROSS JOIN LATERAL (
  SELECT regexp_replace(concat_ws(' ', t.subject, c.name, a.addresses, m.body),
                        '[^[:alnum:]]+', ' ', 'g') AS words) d
WHERE t.id = ANY(%s)
ON CONFLICT (ticket_id) DO UPDATE
SET version = EXCLUDED.version, body = EXCLUDED.body, document = EXCLUDED.document
"""  # noqa: S608 - table names and constants only


# --- SQLite ---------------------------------------------------------------------------------

SQLITE_SOURCE_SQL = """
SELECT t.id, t.language, CAST(t.updated_at AS TEXT), t.subject, c.name,
  (SELECT group_concat(i.address, ' ') FROM customers_identity i WHERE i.customer_id = c.id),
  (SELECT group_concat(x.text, char(10)) FROM (
     SELECT text FROM tickets_message WHERE ticket_id = t.id ORDER BY created_at, id) x)
FROM tickets_ticket t JOIN customers_customer c ON c.id = t.customer_id
WHERE t.id IN (SELECT value FROM json_each(%s))
"""  # noqa: S608


def _sqlite_index(ticket_ids: list[int]) -> None:
    """The words are stemmed outside the transaction; a ticket that changed meanwhile keeps
    the older `updated_at` in its entry and is indexed again on the next pass."""
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_SOURCE_SQL, [json.dumps(ticket_ids)])
        rows = cursor.fetchall()
    entries, fts_rows = [], []
    for ticket_id, language, version, subject, name, addresses, body in rows:
        body = (body or "")[:BODY_MAX_CHARS]
        texts = (subject, name, addresses or "", body)
        entries.append((ticket_id, version, body))
        fts_rows.append((ticket_id, fts5_words(texts, stemmers_of(language))))
    placeholders = ", ".join("%s" for _ in ticket_ids)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})",  # noqa: S608
            ticket_ids,
        )
        cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, words) VALUES (%s, %s)", fts_rows)  # noqa: S608
        cursor.executemany(
            f"INSERT INTO {ENTRY_TABLE} (ticket_id, version, body) VALUES (%s, %s, %s) "  # noqa: S608
            "ON CONFLICT (ticket_id) DO UPDATE "
            "SET version = excluded.version, body = excluded.body",
            entries,
        )


# --- the indexer ----------------------------------------------------------------------------

PENDING_SQL = f"""
SELECT t.id FROM tickets_ticket t LEFT JOIN {ENTRY_TABLE} s ON s.ticket_id = t.id
WHERE t.id > %s AND (s.ticket_id IS NULL OR s.version <> t.updated_at)
ORDER BY t.id LIMIT %s
"""  # noqa: S608
# A version no ticket has: the entry is indexed again by the next pass.
OUTDATED = datetime(1970, 1, 1, tzinfo=UTC)
ALL_SQL = "SELECT id FROM tickets_ticket WHERE id > %s ORDER BY id LIMIT %s"


def search_index_pending(*, everything: bool = False, batch_size: int | None = None) -> int:
    """Index the tickets that changed since they were last indexed (with `everything`, all of
    them: `nordesk search-reindex`), in batches of their own transaction, in one pass over the
    ticket ids. Returns how many were indexed."""
    size = batch_size or (1000 if connection.vendor == "postgresql" else 200)
    sql = ALL_SQL if everything else PENDING_SQL
    indexed, after = 0, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [after, size])
            ticket_ids = [row[0] for row in cursor.fetchall()]
        if not ticket_ids:
            break
        _index(ticket_ids)
        indexed += len(ticket_ids)
        after = ticket_ids[-1]
    if everything and connection.vendor == "sqlite":
        _sqlite_orphans_drop()
    return indexed


def search_entries_outdate(*, customer_id: int) -> int:
    """Have the next pass index the customer's tickets again: what is searched of the
    customer changed, which does not move the tickets' `updated_at`."""
    return TicketSearchEntry.objects.filter(ticket__customer_id=customer_id).update(
        version=OUTDATED
    )


def _index(ticket_ids: list[int]) -> None:
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(PG_INDEX_SQL, [ticket_ids])
    else:
        _sqlite_index(ticket_ids)


def _sqlite_orphans_drop() -> None:
    """Words of deleted tickets (their entries went with them; the FTS5 rows cannot)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN "  # noqa: S608
            f"(SELECT ticket_id FROM {ENTRY_TABLE})"
        )

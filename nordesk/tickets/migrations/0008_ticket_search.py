import django.db.models.deletion
from django.db import migrations, models

FTS_TABLE = "tickets_search_fts"

# A search's words (letters and digits, space-separated) read in one configuration: every word
# that is not a stop word there, as its stem or the stem of that stem, a prefix from four
# letters on. core.fulltext.SearchTerms is the same for SQLite. The lexemes come from
# letters and digits: quote_literal gives them plain quotes, as tsquery text wants.
QUERY_FUNCTION = """
CREATE FUNCTION nordesk_search_query(cfg regconfig, words text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(term, ' & ' ORDER BY n), '')::tsquery FROM (
    SELECT w.n, '(' || string_agg(DISTINCT quote_literal(alt.lexeme)
                 || CASE WHEN length(alt.lexeme) >= 4 THEN ':*' ELSE '' END, ' | ') || ')' AS term
    FROM unnest(string_to_array(words, ' ')) WITH ORDINALITY AS w(word, n)
    CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector(cfg, w.word))) AS first(lexeme)
    CROSS JOIN LATERAL unnest(
      array_append(tsvector_to_array(to_tsvector(cfg, first.lexeme)), first.lexeme)
    ) AS alt(lexeme)
    GROUP BY w.n
  ) terms
$$
"""


def words_create(apps, schema_editor):
    """PostgreSQL: the words as a tsvector with a GIN index. SQLite: an FTS5 table of the words
    already stemmed in Python (FTS5 has no Nordic stemmer); diacritics kept, as PostgreSQL's
    configurations keep them (å, ä, ø are letters of their own)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE tickets_ticketsearchentry ADD COLUMN document tsvector")
        schema_editor.execute(
            "CREATE INDEX ticket_search_document ON tickets_ticketsearchentry USING gin (document)"
        )
        schema_editor.execute(QUERY_FUNCTION)
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(words, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )


def words_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS nordesk_search_query(regconfig, text)")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0007_saved_views")]

    operations = [
        migrations.CreateModel(
            name="TicketSearchEntry",
            fields=[
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="tickets.ticket",
                    ),
                ),
                ("version", models.DateTimeField()),
                ("body", models.TextField(blank=True)),
            ],
        ),
        migrations.RunPython(words_create, words_drop),
    ]

from django.db import migrations

FTS_TABLE = "kb_search_fts"


def words_create(apps, schema_editor):
    """PostgreSQL: a tsvector per translation under a GIN index, read through the tickets
    app's nordesk_search_query. SQLite: an FTS5 table of the words stemmed in Python, title
    and text apart so that the title can weigh more. Both hold the languages each translation
    is shown in as words of their own (kb.search.shown_token)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE kb_articletranslation ADD COLUMN document tsvector")
        schema_editor.execute(
            "CREATE INDEX kb_translation_document ON kb_articletranslation USING gin (document)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, shown, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )


def words_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE kb_articletranslation DROP COLUMN IF EXISTS document")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("kb", "0001_articles"), ("tickets", "0008_ticket_search")]

    operations = [migrations.RunPython(words_create, words_drop)]

from django.db import migrations

SEQUENCE = "tickets_ticket_number_seq"


def create_sequence(apps, schema_editor):
    """PostgreSQL hands out ticket numbers from a sequence: no row lock held to commit, so
    concurrent intake does not queue behind one counter. SQLite keeps the counter row (it has
    one writer at a time anyway)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} AS bigint")
    schema_editor.execute(
        f"SELECT setval('{SEQUENCE}', GREATEST((SELECT COALESCE(MAX(number), 0) "
        "FROM tickets_ticket), (SELECT COALESCE(MAX(value), 0) FROM tickets_ticketcounter), 1), "
        "(SELECT COUNT(*) > 0 FROM tickets_ticket))"
    )


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_ticket_counter_row")]

    operations = [migrations.RunPython(create_sequence, drop_sequence)]

"""A topic with an organisation is rolled up as a pair as well (`rollups.PAIRS`): a year of
one topic by organisation read the facts. An installation that has facts gets its rollups
rebuilt from history, as 0010 did. On PostgreSQL the facts an agent counts in are found by a
GIN index of their ids (`kpis._of_agent`), which the LIKE on `agents` could not use."""

from importlib import import_module

from django.db import migrations

rollups_rebuild = import_module(
    "nordesk.analytics.migrations.0010_rollup_histograms"
).rollups_rebuild


def agents_indexed(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX fact_agents ON analytics_ticketfact "
            "USING gin (string_to_array(agents, ','))"
        )


def agents_unindexed(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX fact_agents")


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0010_rollup_histograms"),
    ]

    operations = [
        migrations.RunPython(agents_indexed, agents_unindexed),
        migrations.RunPython(rollups_rebuild, migrations.RunPython.noop),
    ]

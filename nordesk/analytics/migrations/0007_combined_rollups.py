"""The rollups gained the "combined" rows (channel, priority and language together). They are
sums of the stored facts like every other row, so an installation that has facts gets them
by a rebuild of the rollups from history, as `nordesk analytics rebuild` does (minutes for a
million tickets, once)."""

from django.db import migrations


def rollups_rebuild(apps, schema_editor):
    if not apps.get_model("analytics", "TicketFact").objects.exists():
        return
    from huey.contrib.djhuey import HUEY

    from nordesk.analytics.services import analytics_rebuild
    from nordesk.analytics.tasks import LOCK

    with HUEY.lock_task(LOCK):  # a job consumer already running waits its turn
        analytics_rebuild()


class Migration(migrations.Migration):
    dependencies = [("analytics", "0006_cursor_recent_events")]

    operations = [migrations.RunPython(rollups_rebuild, migrations.RunPython.noop)]

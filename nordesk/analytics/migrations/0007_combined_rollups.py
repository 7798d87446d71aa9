"""The rollups gained the "combined" rows (channel, priority and language together). An
installation that has facts gets them from the rebuild in 0009, which also widens the columns
that rebuild writes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analytics", "0006_cursor_recent_events")]

    operations = []

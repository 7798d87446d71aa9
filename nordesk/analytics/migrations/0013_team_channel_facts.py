"""A team's facts are indexed by channel too (see TicketFact.Meta): a slice of a team and a
channel by a third dimension reads only the pages of that channel's facts."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0012_rollup_fillfactor'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='ticketfact',
            name='fact_team_alive',
        ),
        migrations.AddIndex(
            model_name='ticketfact',
            index=models.Index(fields=['team_id', 'channel', 'last_day', 'created_day'], name='fact_team_channel_alive'),
        ),
    ]

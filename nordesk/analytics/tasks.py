from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from . import schedules, services

LOCK = "analytics-refresh"


# Every minute: the history written since the last run flows into the facts and rollups,
# so reports lag the tickets by about a minute and intake pays nothing for them.
@db_periodic_task(crontab(minute="*"))
def analytics_refresh_job() -> None:
    with HUEY.lock_task(LOCK):
        services.analytics_refresh()


# Every hour at :07: scheduled reports for the week or month just ended go out within the
# first hour of Monday or the 1st (reporting zone); a run that finds the period mailed
# already sends nothing (each schedule's period is claimed once), so a missed hour only
# delays the mail.
@db_periodic_task(crontab(minute="7"))
def analytics_report_schedules_send() -> None:
    with HUEY.lock_task("analytics-report-schedules-send"):
        schedules.schedules_send_due(now=timezone.now())

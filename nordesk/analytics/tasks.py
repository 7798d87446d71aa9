from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from . import schedules, services, spikes, staffing

LOCK = "analytics-refresh"


# Every minute: the history written since the last run flows into the facts and rollups,
# so reports lag the tickets by about a minute and intake pays nothing for them.
@db_periodic_task(crontab(minute="*"))
def analytics_refresh_job() -> None:
    with HUEY.lock_task(LOCK):
        services.analytics_refresh()


# Every five minutes: new tickets are counted into ten-minute slots and the last hour is
# scored against the same hour in previous weeks, so a wave of tickets about one thing is
# seen within minutes of crossing its threshold — and alerted once, not on every run.
@db_periodic_task(crontab(minute="*/5"))
def spikes_detect_job() -> None:
    with HUEY.lock_task("analytics-spikes"):
        spikes.spikes_detect(now=timezone.now())


# Every hour: the handle time per channel the staffing page uses, from a month of time_spent
# events — read here so that no supervisor's page view waits for the scan.
@db_periodic_task(crontab(minute="17"))
def staffing_aht_refresh_job() -> None:
    staffing.aht_refresh(now=timezone.now())


# Every hour at :07: scheduled reports for the week or month just ended go out within the
# first hour of Monday or the 1st (reporting zone); a run that finds the period mailed
# already sends nothing (each schedule's period is claimed once), so a missed hour only
# delays the mail.
@db_periodic_task(crontab(minute="7"))
def analytics_report_schedules_send() -> None:
    with HUEY.lock_task("analytics-report-schedules-send"):
        schedules.schedules_send_due(now=timezone.now())

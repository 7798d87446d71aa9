from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from . import spikes


# Every five minutes: new tickets are counted into ten-minute slots and the last hour is
# scored against the same hour in previous weeks, so a wave of tickets about one thing is
# seen within minutes of crossing its threshold — and alerted once, not on every run.
@db_periodic_task(crontab(minute="*/5"))
def spikes_detect_job() -> None:
    with HUEY.lock_task("analytics-spikes"):
        spikes.spikes_detect(now=timezone.now())

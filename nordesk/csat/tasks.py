from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from . import services


# Every minute: surveys whose delay after solving has passed go out, so a survey is sent
# within a minute of its time. A scan rather than one scheduled job per survey: reopening a
# ticket needs no job cancelled, and it works the same on the SQLite and Redis queues.
@db_periodic_task(crontab(minute="*"))
def csat_surveys_send() -> None:
    with HUEY.lock_task("csat-surveys-send"):
        services.surveys_send_due(now=timezone.now())

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from . import services


# Every minute: clocks past their due time become breached, so lists and reports show it
# within a minute. One scan at a time; an overlapping one would find nothing left to do.
@db_periodic_task(crontab(minute="*"))
def sla_breaches_scan() -> None:
    with HUEY.lock_task("sla-breaches-scan"):
        services.sla_breaches_mark(timezone.now())

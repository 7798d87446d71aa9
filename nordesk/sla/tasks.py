from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import services


# Every minute: clocks past their warning or due time are warned or breached (and the
# automation app hears of each), so lists and reports show it within a minute. One scan at a
# time; an overlapping one would find nothing left to do.
@db_periodic_task(crontab(minute="*"))
def sla_breaches_scan() -> None:
    with HUEY.lock_task("sla-breaches-scan"):
        services.sla_breaches_mark(timezone.now())


@db_task(retries=2, retry_delay=30)
def sla_calendar_clocks_recompute(calendar_id: int) -> None:
    """A calendar's hours, closed days or zone changed: its running clocks' deadlines."""
    services.clocks_recompute(calendar_id=calendar_id)


@db_task(retries=2, retry_delay=30)
def sla_policy_clocks_recompute(policy_id: int) -> None:
    """A policy's targets, warning share or calendar changed: its running clocks' deadlines."""
    services.clocks_recompute(policy_id=policy_id)

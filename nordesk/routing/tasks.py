from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from nordesk.accounts import services as account_services

from . import dispatch


@db_task(retries=2, retry_delay=2)
def team_dispatch_job(team_id: int) -> None:
    dispatch.team_dispatch(team_id=team_id)


# Every minute: idle agents go away, and every queue is handed out again, so relaxed skill
# levels and overflows take effect within a minute and nothing waits for the next event.
@db_periodic_task(crontab(minute="*"))
def routing_tick() -> None:
    with HUEY.lock_task("routing-tick"):
        now = timezone.now()
        account_services.agents_auto_away(
            now=now, idle=timedelta(minutes=settings.AUTO_AWAY_MINUTES)
        )
        dispatch.queues_dispatch(now=now)

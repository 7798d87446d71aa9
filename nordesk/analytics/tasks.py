from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from . import services

LOCK = "analytics-refresh"


# Every minute: the history written since the last run flows into the facts and rollups,
# so reports lag the tickets by about a minute and intake pays nothing for them.
@db_periodic_task(crontab(minute="*"))
def analytics_refresh_job() -> None:
    with HUEY.lock_task(LOCK):
        services.analytics_refresh()

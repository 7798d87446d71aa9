from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


# Hourly: the tables grow and change shape (the share of unsolved tickets) through the day.
@db_periodic_task(crontab(minute="41"))
def database_statistics_refresh() -> None:
    services.database_statistics_refresh()

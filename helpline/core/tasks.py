from datetime import timedelta

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from helpline.core.maintenance import refresh_planner_statistics


@db_periodic_task(crontab(minute="17", hour="3"))
def refresh_planner_statistics_nightly() -> str:
    return refresh_planner_statistics()


@db_periodic_task(crontab(minute="41"))
def prune_throttles_hourly() -> int:
    """Rate-limit rows of clients who have not been back for a day: one row per address otherwise stays."""
    from helpline.core.throttle import prune

    return prune(timedelta(days=1))

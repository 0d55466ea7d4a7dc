from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="23"))
def prune_held_uploads_hourly() -> int:
    """Files of replies that were held back and never posted, kept a day (staff.held_uploads)."""
    from helpline.staff.held_uploads import prune

    return prune()

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from helpline.mail.outbox import deliver, due_emails


@db_task()
def deliver_emails_task(email_ids: list[int]) -> int:
    """Send these outbox rows (each one that is due); one failing does not hold back the others."""
    return sum(deliver(email_id) for email_id in email_ids)


@db_periodic_task(crontab(minute="*"))
def retry_due_emails() -> int:
    """Every minute: send what failed before and is due again, or was left by a crashed worker."""
    return sum(deliver(email_id) for email_id in due_emails())

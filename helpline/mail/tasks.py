from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from helpline.mail.batches import deliver_batch
from helpline.mail.outbox import due_emails


@db_task()
def deliver_emails_task(email_ids: list[int]) -> int:
    """Send these outbox rows (each one that is due) over one connection; one failing does not hold back
    the others."""
    return deliver_batch(email_ids)


@db_periodic_task(crontab(minute="*"))
def retry_due_emails() -> int:
    """Every minute: send what failed before and is due again, or was left by a crashed worker."""
    return deliver_batch(due_emails())

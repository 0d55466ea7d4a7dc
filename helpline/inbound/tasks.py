"""Background work of the inbound door: fetching each mailbox on its interval."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(minute="*"))
def fetch_due_mailboxes() -> int:
    """Every minute: claim each mailbox that is due (a lease: no other worker takes it meanwhile) and fetch
    it in a task of its own, so a slow or failing server holds up no other mailbox. Returns how many."""
    from helpline.inbound.fetching import claim, due_mailboxes

    claimed = [pk for pk in due_mailboxes().values_list("pk", flat=True) if claim(pk)]
    for pk in claimed:
        fetch_mailbox_task(pk)
    return len(claimed)


@db_task()
def fetch_mailbox_task(mailbox_id: int) -> None:
    """Fetch one claimed mailbox (the lease is released by recording its next due time)."""
    from helpline.inbound.fetching import fetch_mailbox
    from helpline.inbound.models import Mailbox

    mailbox = Mailbox.objects.filter(pk=mailbox_id, is_active=True).first()
    if mailbox is not None and mailbox.fetches:
        fetch_mailbox(mailbox)


@db_periodic_task(crontab(minute="*"))
def retry_waiting_mail() -> int:
    """Every minute: process again what was stored and not processed (a crash between storing and
    processing) or failed, pausing longer after each attempt."""
    from helpline.inbound.intake import retry_failed

    return retry_failed()

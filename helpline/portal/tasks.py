"""Background work of the portal, run by the task queue."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(minute="23", hour="*/6"))
def prune_spent_form_tokens() -> int:
    """Forget the one-time tokens of forms too old to be accepted anyway."""
    from helpline.portal.protection import prune_spent_tokens

    return prune_spent_tokens()


@db_task(retries=3, retry_delay=30)
def email_access_link(email: str, number: str) -> int:
    """Find out off the request whether the address is on the ticket, and if so email it the link."""
    from helpline.portal.lookup import email_access_link as send

    return send(email=email, number=number)

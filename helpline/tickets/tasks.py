"""Background work of the tickets domain, run by the task queue."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=30)
def notify(
    kind: str, ticket_id: int, *, entry_id: int | None = None, actor_agent_id: int | None = None
) -> int:
    """Render a lifecycle notification and put it in the outbox; returns how many emails were queued."""
    from helpline.tickets.notifications import send_notification

    return send_notification(kind, ticket_id, entry_id=entry_id, actor_agent_id=actor_agent_id)


@db_periodic_task(crontab(minute="*"))
def flag_overdue_tickets() -> int:
    """Every minute: mark open tickets past their due time overdue (once each) and alert their agents."""
    from helpline.tickets.actions import mark_overdue
    from helpline.tickets.queries import overdue_tickets

    flagged = 0
    for ticket_id in overdue_tickets().filter(is_overdue=False).values_list("pk", flat=True)[:1000]:
        flagged += mark_overdue(ticket_id=ticket_id)
    return flagged

"""Background work of the tickets domain, run by the task queue."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def deliver_notifications_task(notification_ids: list[int]) -> int:
    """Turn the notifications a change recorded into outbox rows; returns how many emails were queued. A
    failure is recorded on its row and retried by the sweep below, not by the task queue."""
    from helpline.tickets.notifications import deliver_notifications

    return deliver_notifications(notification_ids)


@db_periodic_task(crontab(minute="*"))
def sweep_notifications() -> int:
    """Every minute: deliver what a lost task or a killed worker left pending, and retry failures."""
    from helpline.tickets.notifications import deliver_notifications, due_notifications

    return deliver_notifications(due_notifications())


@db_periodic_task(crontab(minute="*"))
def flag_overdue_tickets() -> int:
    """Every minute: mark open tickets past their due time overdue (once each) and alert their agents."""
    from helpline.tickets.actions import mark_overdue
    from helpline.tickets.queries import overdue_tickets

    flagged = 0
    for ticket_id in overdue_tickets().filter(is_overdue=False).values_list("pk", flat=True)[:1000]:
        flagged += mark_overdue(ticket_id=ticket_id)
    return flagged

"""Background work of the tickets domain, run by the task queue."""

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task


@db_task()
def deliver_notifications_task(notification_ids: list[int], ticket_ids: list[int] | None = None) -> int:
    """Turn the notifications a change recorded into outbox rows, and others waiting for their own tasks,
    and rebuild the search text of ``ticket_ids`` (the tickets the change added to, ``handover``) and of
    the others' tickets in the same transaction (``deliver_notifications``); returns how many emails were
    queued. A failure is recorded on its row and retried by the sweep below, not by the task queue."""
    from helpline.tickets.notifications import deliver_notifications

    # Others are looked for only while tasks wait in the queue (counting them is one cheap query of the
    # queue's storage); run at once (HUEY_IMMEDIATE, the tests), none ever waits.
    waiting = not HUEY.immediate and HUEY.pending_count() > 0
    return deliver_notifications(notification_ids, with_waiting=waiting, reindex=ticket_ids or ())


@db_periodic_task(crontab(minute="*"))
def sweep_notifications() -> int:
    """Every minute: deliver what a lost task or a killed worker left pending, and retry failures."""
    from helpline.tickets.notifications import deliver_notifications, due_notifications

    return deliver_notifications(due_notifications())


@db_periodic_task(crontab(minute="*"))
def check_sla() -> int:
    """Every minute: look at the tickets whose next SLA check has come (a warning, a missed target), flag
    them once each, alert, and escalate. Reads an index range: the tickets due, not the tickets stored."""
    from helpline.tickets.actions import check_sla_targets
    from helpline.tickets.queries import sla_checks_due

    return sum(check_sla_targets(ticket_id=ticket_id) for ticket_id in sla_checks_due()[:1000])


@db_task()
def remeasure_sla_task(plan_ids: list[int]) -> int:
    """After an administrator changed SLA plans or a schedule they count on: recount the due times of
    their unfinished tickets, in batches."""
    from helpline.tickets.actions import remeasure_sla

    return remeasure_sla(plan_ids=plan_ids)


@db_periodic_task(crontab(minute="7"))
def close_resolved_tickets() -> int:
    """Every hour: close the tickets resolved HELPLINE_AUTO_CLOSE_DAYS ago that nobody answered since."""
    from helpline.tickets.actions import auto_close_resolved

    return auto_close_resolved()


@db_task()
def index_tickets_task(ticket_ids: list[int], only_stale: bool = False) -> int:
    """After a change committed: rebuild these tickets' search text (``only_stale``: unless a notification
    task built it since, see below)."""
    from helpline.tickets.search.indexing import index_tickets

    return index_tickets(ticket_ids, only_stale=only_stale)


@db_periodic_task(crontab(minute="*/10"))
def catch_up_search_index() -> int:
    """Every ten minutes: index the recently updated tickets whose search text is behind (a lost task)."""
    from helpline.tickets.search.indexing import catch_up

    return catch_up()

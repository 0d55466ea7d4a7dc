"""Background work of the webhooks, run by the task queue."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def deliver_webhooks_task(delivery_ids: list[int]) -> int:
    """Send the deliveries a change (or a re-send) wrote. A failure is recorded on its row and retried by the
    sweep below, not by the task queue."""
    from helpline.webhooks.outbox import deliver

    return deliver(delivery_ids)


@db_periodic_task(crontab(minute="*"))
def sweep_webhooks() -> int:
    """Every minute: write the deliveries a dead process owed, retry the deliveries whose next attempt has
    come, and send what a lost task left."""
    from helpline.webhooks.outbox import deliver, due_deliveries, record_owed

    record_owed()
    return deliver(due_deliveries())


@db_periodic_task(crontab(minute="53"))
def prune_webhook_deliveries_hourly() -> int:
    """Finished deliveries older than the retention (webhooks.pruning)."""
    from helpline.webhooks.pruning import prune

    return prune()

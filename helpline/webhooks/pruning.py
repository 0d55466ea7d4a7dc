"""Deliveries are kept HELPLINE_WEBHOOK_DELIVERY_DAYS days (the hook's page shows them, and a re-send needs
them), then removed with their attempts: one row per event per hook, a busy desk's table otherwise grows
without end. A delivery still pending is never removed."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from helpline.webhooks.models import Delivery

BATCH = 2000
# One run removes at most this many batches (the next hour's takes the rest), so no run holds the
# database for long.
BATCHES_PER_RUN = 20


def prune(now: datetime | None = None) -> int:
    """Remove finished deliveries older than the retention; the number removed."""
    days = settings.HELPLINE_WEBHOOK_DELIVERY_DAYS
    if not days:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    # Oldest first, by id: the old rows are at the start of the table, so finding a batch reads little.
    finished = (
        Delivery.objects.filter(created_at__lt=cutoff)
        .exclude(status=Delivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    removed = 0
    for _ in range(BATCHES_PER_RUN):
        ids = list(finished[:BATCH])
        if not ids:
            break
        with transaction.atomic():
            Delivery.objects.filter(pk__in=ids).delete()
        removed += len(ids)
        if len(ids) < BATCH:
            break
    return removed

"""Addresses that keep bouncing: counted from the delivery reports the intake matches, held back after a few."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from helpline.core.prepared import PreparedQuery
from helpline.mail.models import BouncingAddress


def is_permanent(status: str) -> bool:
    """An RFC 3463 status class 5 (a permanent failure); 4.x.x is temporary and counts for nothing."""
    return status.strip().startswith("5")


def count_bounce(address: str, *, status: str, diagnostic: str) -> BouncingAddress | None:
    """Count a permanent bounce for ``address`` and hold it back once it reached the limit; returns its row
    (None for a temporary failure, which is not counted)."""
    address = address.strip().lower()
    if not address or not is_permanent(status):
        return None
    now = timezone.now()
    with transaction.atomic():
        row, _ = BouncingAddress.objects.select_for_update().get_or_create(
            address=address, defaults={"last_bounce_at": now}
        )
        BouncingAddress.objects.filter(pk=row.pk).update(
            bounces=F("bounces") + 1,
            last_bounce_at=now,
            last_status=status[:20],
            last_diagnostic=diagnostic[:500],
        )
        row.refresh_from_db()
        limit = settings.HELPLINE_BOUNCES_TO_HOLD
        if limit and row.bounces >= limit and row.held_since is None:
            row.held_since = now
            row.save(update_fields=["held_since"])
    return row


# Asked on every ticket page and before every email: compiled once (core.prepared).
_HELD = PreparedQuery(
    lambda address: BouncingAddress.objects.filter(address=address, held_since__isnull=False)[:1],
    kinds=(str,),
)


def held(address: str) -> BouncingAddress | None:
    return _HELD.first(address.strip().lower())


def release(address: str) -> bool:
    """Send to the address again (it was fixed, or the requester asked): the count starts over. Emails held
    meanwhile stay held; they are on the record."""
    return bool(
        BouncingAddress.objects.filter(address=address.strip().lower()).update(bounces=0, held_since=None)
    )

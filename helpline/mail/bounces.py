"""Addresses that keep bouncing: counted from the delivery reports the intake matches, held back after a few."""

from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from helpline.core.prepared import PreparedQuery
from helpline.mail.models import BouncingAddress, OutboundEmail


def is_permanent(status: str) -> bool:
    """An RFC 3463 status class 5 (a permanent failure); 4.x.x is temporary and counts for nothing."""
    return status.strip().startswith("5")


def bounced_recipient(sent: OutboundEmail, reported: str) -> str | None:
    """The address a delivery report about ``sent`` is counted for: the address it names, when ``sent``
    went to it; ``sent``'s one recipient when it names none; "" when it names none and ``sent`` went to
    several. None when it names an address ``sent`` was not sent to: nothing is counted for anyone.

    A report proves nothing but the Message-ID it quotes, which every recipient of the email knows; naming
    any other address, it is forged (a requester putting an agent's address on hold) or a forwarder's own
    failure further on, after Helpline's email was delivered. Neither the address it names nor the
    recipient, whose mail arrived, bounced."""
    addresses = {
        _address(value) for value in [*(sent.to if isinstance(sent.to, list) else []), sent.recipient]
    }
    addresses.discard("")
    named = _address(reported)
    if not named:
        return next(iter(addresses)) if len(addresses) == 1 else ""
    return named if named in addresses else None


def _address(value: object) -> str:
    return parseaddr(value)[1].strip().lower() if isinstance(value, str) else ""


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

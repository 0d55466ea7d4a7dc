"""Rate limits counted in the database, so one limit holds across every app server without a shared cache.

Each (scope, key) pair has a budget of ``limit`` uses that comes back at ``limit`` per ``period``: up to
``limit`` requests go through at once, then one more every ``period / limit``. The budget is one number
per pair, the moment it is whole again (the generic cell rate algorithm), and one conditional UPDATE
spends a use: concurrent requests on any number of servers cannot overspend it, and a transaction that
rolls back gives its use back.
"""

import ipaddress
import math
import time
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Value
from django.db.models.fields import BigIntegerField
from django.db.models.functions import Greatest
from django.utils.crypto import salted_hmac

from helpline.core.models import Throttle

UNKNOWN_ADDRESS = "unknown"
# Requests at the same moment read the clock in any order (and app servers' clocks differ a little): a
# use that comes within this much of fitting is let through, so a burst gets its whole budget. Never more
# than half a step, so it cannot add a use.
CLOCK_SLACK_MS = 1000


def address_key(ip: str | None) -> str:
    """A client address as a rate-limit key. IPv6 clients count by their /64 network: one subscriber
    gets a whole /64 and its devices pick addresses in it at will. IPv4 (also IPv4-mapped) as it is."""
    if not ip:
        return UNKNOWN_ADDRESS
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip.strip()[:100]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def take(scope: str, key: str, *, limit: int, period: timedelta) -> timedelta | None:
    """Spend one use of ``key``'s budget in ``scope``: None when it was spent, otherwise how long until the
    next use comes back (nothing is spent then). ``limit`` 0 or less means no limit.

    Runs in the caller's transaction when there is one, so a rollback gives the use back; on PostgreSQL
    the bucket's row stays locked until that transaction ends, so keep the transaction short."""
    if limit <= 0:
        return None
    now = time.time_ns() // 1_000_000
    window = int(period.total_seconds() * 1000)
    step = math.ceil(window / limit)
    latest = now + window - step + min(CLOCK_SLACK_MS, step // 2)  # the latest refilled_at that allows a use
    bucket = salted_hmac("helpline.core.throttle", f"{scope}\n{key}", algorithm="sha256").hexdigest()
    rows = Throttle.objects.filter(scope=scope, key=bucket)
    with transaction.atomic():
        if _spend(rows, now, latest, step):
            return None
        # The first use of this key (no row yet), or its budget is spent: make sure the row exists.
        Throttle.objects.bulk_create([Throttle(scope=scope, key=bucket)], ignore_conflicts=True)
        if _spend(rows, now, latest, step):
            return None
        refilled_at = rows.values_list("refilled_at", flat=True).get()
    return timedelta(milliseconds=max(refilled_at - now - (window - step), 1000))


def _spend(rows, now: int, latest: int, step: int) -> bool:
    # Allowed while the budget owed, plus this use, fits in one window; the budget is then owed one step more.
    return bool(
        rows.filter(refilled_at__lte=latest).update(
            refilled_at=Greatest(F("refilled_at"), Value(now, output_field=BigIntegerField())) + step
        )
    )


def prune(period: timedelta) -> int:
    """Forget buckets whose budget has been whole for at least ``period``: an absent row means the same."""
    cutoff = time.time_ns() // 1_000_000 - int(period.total_seconds() * 1000)
    deleted, _ = Throttle.objects.filter(refilled_at__lt=cutoff).delete()
    return deleted


def in_minutes(wait: timedelta) -> str:
    """``wait`` as a person reads it in "try again in ...": "a minute", "12 minutes"."""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"

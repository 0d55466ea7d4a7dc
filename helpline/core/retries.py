"""Counting a failed attempt on a row that is retried later (an outbox email, a notification)."""

from datetime import datetime, timedelta
from typing import Protocol

from django.utils import timezone

# The fields ``count_failure`` changes, for ``save(update_fields=...)``.
FAILURE_FIELDS = ["attempts", "last_error", "status", "next_attempt_at"]


class Retried(Protocol):
    attempts: int
    last_error: str
    status: str
    next_attempt_at: datetime | None


def count_failure(row: Retried, error: Exception, *, max_attempts: int, gave_up: str) -> None:
    """Record the failure on ``row`` (the caller has counted the attempt in ``row.attempts`` and saves):
    after ``max_attempts`` the row takes the status ``gave_up`` and is not tried again; before, it comes due
    again after 2, 4, 8, ... minutes."""
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= max_attempts:
        row.status = gave_up
        row.next_attempt_at = None
    else:
        row.next_attempt_at = timezone.now() + timedelta(minutes=2**row.attempts)

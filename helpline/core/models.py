"""Shared rows with no domain: the rate limits' buckets."""

from django.db import models


class Throttle(models.Model):
    """One client's budget for one kind of request (see ``core.throttle``)."""

    scope = models.CharField(max_length=50, help_text="The kind of request counted, e.g. portal.open-ticket.")
    key = models.CharField(max_length=64, help_text="A keyed hash of the client's address (not the address).")
    # Milliseconds since the epoch at which the whole budget is back; any moment before now: all of it is.
    refilled_at = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="throttle_scope_key")]
        indexes = [models.Index(fields=["refilled_at"], name="throttle_refilled")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:12]}"

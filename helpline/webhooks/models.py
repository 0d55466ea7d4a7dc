"""Webhooks: the URLs administrators register, the deliveries owed to them (rows first, like the mail
outbox), and the log of every attempt."""

from django.db import models

from helpline.core import configuration


class Webhook(models.Model):
    name = models.CharField(max_length=100)
    url = models.URLField(max_length=2000)
    # The event types (``webhooks.events.EVENT_TYPES``) the hook is sent.
    events = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    # ``whsec_`` and the base64 of the key: the Standard Webhooks form, as the receiver configures it.
    secret = models.CharField(max_length=100)
    # Deliveries in a row that gave up; a success resets it. At HELPLINE_WEBHOOK_FAILURES_TO_DISABLE the
    # hook is switched off, with the reason below.
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.TextField(blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One event owed to one hook. Its body is fixed when it is written, so every attempt (and a re-send)
    carries the same bytes under the same ``message_id`` (the ``webhook-id`` a receiver deduplicates by)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (gave up)"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=40)
    event_type = models.CharField(max_length=40)
    ticket_id = models.BigIntegerField(null=True, blank=True)
    entry_id = models.BigIntegerField(null=True, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    resent_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            # A hook's latest deliveries first: its page.
            models.Index(fields=["webhook", "-id"], name="webhook_delivery_latest"),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.event_type} to {self.webhook_id} ({self.status})"


class OwedEvent(models.Model):
    """A thread entry whose deliveries are still to be written, noted in the entry's own transaction while
    a hook is active: removed by the writing of its deliveries, just after the commit, or by the minute's
    sweep should the process have died before (``outbox``)."""

    entry_id = models.BigIntegerField(unique=True)
    ticket_id = models.BigIntegerField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Deliveries owed for entry {self.entry_id}"


class Attempt(models.Model):
    """What happened when a delivery was tried: the answer's status and time, its first bytes, or the error."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField()
    succeeded = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        # A hook's latest attempts first: its page.
        indexes = [models.Index(fields=["webhook", "-id"], name="webhook_attempt_latest")]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at}: {self.status_code or self.error}"


# The active hooks are kept in each process (``outbox.record_deliveries``) until one is added, removed,
# switched on or off, or follows other events; their failure counts change without dropping them.
configuration.track(Webhook, columns=["is_active", "events"])

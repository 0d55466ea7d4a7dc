"""The outbox: every email Helpline promises to send is a row first, delivered with retries."""

from django.db import models


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"
        HELD = "held", "Held back (the address keeps bouncing)"

    to = models.JSONField(help_text="Recipient addresses.")
    # The one address an email to one person went to (empty for an email to several): a reply that names
    # this email's Message-ID answers what that person was sent.
    recipient = models.CharField(max_length=254, blank=True)
    # Empty: DEFAULT_FROM_EMAIL.
    from_email = models.CharField(max_length=320, blank=True)
    reply_to = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=50, help_text="Which notification this is, for the record.")
    ticket_id = models.BigIntegerField(null=True, blank=True)
    # The thread entry the email reports (a response, a message, an event), when it reports one.
    entry_id = models.BigIntegerField(null=True, blank=True)
    # Given when the row is written and sent as the Message-ID header (``mail.threading``). Null only on
    # rows written before Message-IDs were kept.
    message_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    # Names what this email is (e.g. a notification and its recipient) so that queueing it again is a no-op.
    key = models.CharField(max_length=300, null=True, blank=True, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            # A ticket's emails, newest first: the conversation a new email continues.
            models.Index(fields=["ticket_id", "-id"], name="outbox_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} to {', '.join(self.to)}: {self.subject}"


class BouncingAddress(models.Model):
    """An address whose mail came back undelivered. After HELPLINE_BOUNCES_TO_HOLD permanent failures in a
    row, mail to it is held back instead of sent (a desk that keeps mailing a dead address looks like a
    spammer to the receiving servers); a delivered-again address, or an agent's word, releases it."""

    address = models.CharField(max_length=254, unique=True, help_text="Lower-cased.")
    bounces = models.PositiveIntegerField(default=0, help_text="Permanent failures since the last release.")
    last_bounce_at = models.DateTimeField()
    last_status = models.CharField(max_length=20, blank=True)
    last_diagnostic = models.CharField(max_length=500, blank=True)
    held_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["address"]
        verbose_name_plural = "bouncing addresses"

    def __str__(self) -> str:
        return f"{self.address} ({self.bounces} bounce{'s' if self.bounces != 1 else ''})"

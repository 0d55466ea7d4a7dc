"""What a change promised to tell people: one row per notification, written in the change's transaction."""

from django.db import models


class Notification(models.Model):
    """A notification owed for a change of a ticket. The action writes it with the change (so a rolled-back
    change owes nothing and a committed one cannot lose it); the task queue turns it into outbox rows, one per
    recipient under a unique key, and marks it done in that same transaction, so a crash or a retry sends
    exactly what is missing, once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed (gave up)"

    kind = models.CharField(max_length=30)
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey("tickets.ThreadEntry", null=True, blank=True, on_delete=models.CASCADE)
    # The agent whose change this is: they are not alerted about their own work.
    actor_agent_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    # When the periodic sweep takes it up if the task queue has not (a lost task, a killed worker).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.kind} for ticket {self.ticket_id} ({self.status})"


class NotificationTemplate(models.Model):
    """An administrator's text for one kind of notification email, in place of the shipped one
    (``tickets.emails``). Sources of Django templates, checked to compile when saved; no row: the shipped
    text. Deleting the row goes back to it."""

    kind = models.CharField(max_length=30, unique=True)
    subject = models.CharField(max_length=1000)
    body_text = models.TextField()
    body_html = models.TextField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind} (edited)"

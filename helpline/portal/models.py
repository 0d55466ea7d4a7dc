"""What the portal itself keeps: the one-time tokens of forms that were sent."""

from django.db import models
from django.utils import timezone


class SpentFormToken(models.Model):
    """The open-ticket form's one-time token, spent by the post that opened a ticket with it. A second
    post of the same form (a double click, a reloaded post) finds the ticket here instead of opening one."""

    nonce = models.CharField(max_length=32, unique=True)
    # A plain id, not a foreign key: a deleted ticket leaves the token spent (and the form sent).
    ticket_id = models.BigIntegerField(null=True, blank=True)
    spent_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"form {self.nonce[:8]} -> ticket {self.ticket_id}"

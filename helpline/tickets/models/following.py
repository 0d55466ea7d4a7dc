"""Working one ticket together: the agents who follow it, and who is writing a reply to it right now."""

from django.db import models


class Follower(models.Model):
    """An agent who hears of a ticket's replies, notes and status changes without being its assignee
    (``notifications``, kind ``followed_update``): by their own choice, or because they handed the ticket to
    a team."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="followers")
    agent = models.ForeignKey("people.Agent", on_delete=models.CASCADE, related_name="followed")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "agent"], name="follower_unique")]

    def __str__(self) -> str:
        return f"agent {self.agent_id} follows ticket {self.ticket_id}"


class ReplyLock(models.Model):
    """A soft lock: the agent who started a reply, until it expires (renewed while they type, released when
    they send or cancel). It never blocks anyone: others are told who is replying. One per ticket; rows past
    their expiry mean nothing and are deleted lazily when a lock is taken."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="reply_lock"
    )
    agent = models.ForeignKey("people.Agent", on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"agent {self.agent_id} replying on ticket {self.ticket_id} until {self.expires_at}"

"""Links between related tickets: symmetric, one row per pair."""

from django.db import models
from django.db.models import F, Q


class TicketLink(models.Model):
    """Two tickets about related matters. The pair is stored once, the lower id first (``low``), so a link
    from either side is the same row, and the unique constraint keeps it single under concurrency."""

    low = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="ticket_link_unique"),
            models.CheckConstraint(condition=Q(low__lt=F("high")), name="ticket_link_ordered"),
        ]

    def __str__(self) -> str:
        return f"ticket {self.low_id} <-> ticket {self.high_id}"

    @staticmethod
    def pair(a: int, b: int) -> dict[str, int]:
        """The row's fields for the link between tickets ``a`` and ``b``, in either order."""
        return {"low_id": min(a, b), "high_id": max(a, b)}

    @staticmethod
    def involving(ticket_id: int) -> Q:
        return Q(low_id=ticket_id) | Q(high_id=ticket_id)

"""SLA plans: how long a ticket may stay open before it is overdue."""

from datetime import datetime, timedelta

from django.core.validators import MinValueValidator
from django.db import models


class SLAPlan(models.Model):
    name = models.CharField(max_length=100, unique=True)
    grace_hours = models.PositiveIntegerField(
        validators=[MinValueValidator(1)],
        help_text="Hours after opening (or reopening) until the ticket is due.",
    )
    is_active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["grace_hours", "name"]
        verbose_name = "SLA plan"

    def __str__(self) -> str:
        return f"{self.name} ({self.grace_hours} h)"

    def due_from(self, start: datetime) -> datetime:
        """The due time for a clock started at ``start`` (plain hours; business hours come with schedules)."""
        return start + timedelta(hours=self.grace_hours)

"""Help topics: what a requester picks when opening a ticket, and where that routes it."""

from django.db import models


class HelpTopic(models.Model):
    name = models.CharField(max_length=120, unique=True)
    department = models.ForeignKey("people.Department", on_delete=models.PROTECT, related_name="help_topics")
    priority = models.ForeignKey("catalog.Priority", null=True, blank=True, on_delete=models.PROTECT)
    sla_plan = models.ForeignKey("sla.SLAPlan", null=True, blank=True, on_delete=models.PROTECT)
    assign_to_agent = models.ForeignKey(
        "people.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assign_to_team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_public = models.BooleanField(default=True, help_text="Offered to requesters in the portal.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

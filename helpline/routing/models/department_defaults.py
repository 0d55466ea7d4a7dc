"""What a department gives a new ticket when nothing else did: a help topic for a ticket that arrives
without one (mail to the department's mailbox, the osTicket API without a topic), and an SLA plan for a
ticket that neither its topic, a filter rule nor the door gave one.

A row of its own, one per department, rather than columns on the department: the department sits in the
people layer, below routing and the SLA plans it would point at."""

from django.core.exceptions import ValidationError
from django.db import models

from helpline.core import configuration


class DepartmentDefaults(models.Model):
    department = models.OneToOneField(
        "people.Department", primary_key=True, on_delete=models.CASCADE, related_name="defaults"
    )
    default_topic = models.ForeignKey(
        "routing.HelpTopic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The help topic of a ticket that arrives for the department without one.",
    )
    default_sla_plan = models.ForeignKey(
        "sla.SLAPlan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="default SLA plan",
        help_text="The SLA plan of a new ticket that its topic, the filter rules and the door left without one.",
    )

    class Meta:
        verbose_name_plural = "department defaults"

    def __str__(self) -> str:
        return f"Defaults of department {self.department_id}"

    def clean(self) -> None:
        topic = self.default_topic
        if topic is not None and topic.department_id != self.department_id:
            raise ValidationError({"default_topic": "Choose one of the department's own help topics."})


# Kept in each process as ids (``routing.defaults``) until a department's defaults change.
configuration.track(DepartmentDefaults)

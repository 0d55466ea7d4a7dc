"""A department's defaults for a new ticket (``models.DepartmentDefaults``), read by the intake."""

from dataclasses import dataclass

from django.db.models import Model

from helpline.people.models import Department
from helpline.routing.models import DepartmentDefaults, HelpTopic


@dataclass(frozen=True)
class Defaults:
    """What one department gives a new ticket that has nothing else: read once per opening, in one query."""

    department_id: int
    topic: HelpTopic | None
    sla_plan: Model | None  # an ``sla.SLAPlan``: sla sits beside routing, and neither imports the other

    @classmethod
    def of(cls, department: Department) -> "Defaults":
        row = (
            DepartmentDefaults.objects.select_related("default_topic", "default_sla_plan")
            .filter(department=department)
            .first()
        )
        if row is None:
            return cls(department.pk, None, None)
        return cls(department.pk, _usable(row.default_topic, department), row.default_sla_plan)


def _usable(topic: HelpTopic | None, department: Department) -> HelpTopic | None:
    """None for a topic that was deactivated or has moved to another department since it was chosen."""
    if topic is None or not topic.is_active or topic.department_id != department.pk:
        return None
    return topic

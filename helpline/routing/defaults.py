"""A department's defaults for a new ticket (``models.DepartmentDefaults``), read by the intake."""

from django.db.models import Model

from helpline.people.models import Department
from helpline.routing.models import DepartmentDefaults, HelpTopic


def _defaults(department: Department) -> DepartmentDefaults | None:
    return (
        DepartmentDefaults.objects.select_related("default_topic", "default_sla_plan")
        .filter(department=department)
        .first()
    )


def default_topic(department: Department) -> HelpTopic | None:
    """The department's help topic for a ticket that arrives without one; None when it has none, or its
    topic was deactivated or has moved to another department since."""
    defaults = _defaults(department)
    topic = defaults.default_topic if defaults is not None else None
    if topic is None or not topic.is_active or topic.department_id != department.pk:
        return None
    return topic


def default_sla_plan(department: Department) -> Model | None:
    """The department's SLA plan for a new ticket that got none otherwise (an ``sla.SLAPlan``: sla sits
    beside routing, and neither imports the other)."""
    defaults = _defaults(department)
    return defaults.default_sla_plan if defaults is not None else None

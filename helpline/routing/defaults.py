"""A department's defaults for a new ticket (``models.DepartmentDefaults``), read by the intake."""

from dataclasses import dataclass

from django.db.models import Model

from helpline.core import configuration
from helpline.people.models import Department
from helpline.routing.models import DepartmentDefaults, HelpTopic


@dataclass(frozen=True)
class Defaults:
    """What one department gives a new ticket that has nothing else: read once per opening."""

    department_id: int
    topic: HelpTopic | None
    sla_plan: Model | None  # an ``sla.SLAPlan``: sla sits beside routing, and neither imports the other

    @classmethod
    def of(cls, department: Department) -> "Defaults":
        """Which rows each department names is kept in the process until any department's defaults
        change (``core.configuration``); the topic and the plan are read fresh, when there is one."""
        topic_id, plan_id = configuration.cached("routing.department_defaults", _named).get(
            department.pk, (None, None)
        )
        topic = HelpTopic.objects.filter(pk=topic_id).first() if topic_id is not None else None
        plans = DepartmentDefaults._meta.get_field("default_sla_plan").related_model._default_manager
        plan = plans.filter(pk=plan_id).first() if plan_id is not None else None
        return cls(department.pk, _usable(topic, department), plan)


def _named() -> dict[int, tuple[int | None, int | None]]:
    rows = DepartmentDefaults.objects.values_list("department_id", "default_topic_id", "default_sla_plan_id")
    return {department_id: (topic_id, plan_id) for department_id, topic_id, plan_id in rows}


def _usable(topic: HelpTopic | None, department: Department) -> HelpTopic | None:
    """None for a topic that was deactivated or has moved to another department since it was chosen."""
    if topic is None or not topic.is_active or topic.department_id != department.pk:
        return None
    return topic

"""The service-level rows: schedules with their spans and holidays, and SLA plans with their targets and
escalation steps."""

from helpline.sla.models.plans import EscalationStep, SLAPlan, SLATarget, Targets
from helpline.sla.models.schedules import Holiday, Schedule, ScheduleSpan

__all__ = ["EscalationStep", "Holiday", "SLAPlan", "SLATarget", "Schedule", "ScheduleSpan", "Targets"]

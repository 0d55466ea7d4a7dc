"""What a ticket opened at a given moment would get from a plan: its first-response and resolution due times
(and the warnings), in the plan's time zone. Shown by ``manage.py sla_preview`` and the plan's
administration page."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from helpline.catalog.models import Priority
from helpline.sla.clock import add_business_time
from helpline.sla.hours import local_to_instant
from helpline.sla.models import SLAPlan, Targets


@dataclass(frozen=True)
class Due:
    target: timedelta
    at: datetime  # in the plan's zone
    warning_at: datetime | None


@dataclass(frozen=True)
class Preview:
    zone: str
    start: datetime  # in the plan's zone
    targets: Targets
    first_response: Due | None  # None: the plan sets no first-response target
    resolution: Due


def plan_zone(plan: SLAPlan) -> ZoneInfo:
    """The schedule's zone; a plan without a schedule (24x7) is shown in the desk's zone."""
    return ZoneInfo(plan.schedule.time_zone if plan.schedule else settings.TIME_ZONE)


def read_start(text: str, zone: ZoneInfo) -> datetime:
    """An ISO 8601 moment: with an offset it is converted, without one it is read in ``zone`` (a local time
    that does not exist or repeats follows the schedules' rule, see ``sla.hours``). Raises ValueError."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"“{text}” is not a date and time: write it as 2026-11-20T16:00.") from None
    if moment.tzinfo is None:
        return local_to_instant(moment, zone).astimezone(zone)
    return moment.astimezone(zone)


def preview_plan(plan: SLAPlan, start: datetime, priority: Priority | None = None) -> Preview:
    """The due times for a ticket of ``priority`` whose clock starts at ``start`` (aware). Raises
    NoOpenTime for a schedule that is never open."""
    zone, hours = plan_zone(plan), plan.business_hours()
    targets = plan.targets_for(priority)

    def due(target: timedelta) -> Due:
        warning = targets.warning_after(target)
        return Due(
            target,
            add_business_time(hours, start, target).astimezone(zone),
            add_business_time(hours, start, warning).astimezone(zone) if warning is not None else None,
        )

    first = targets.first_response
    return Preview(
        zone=str(zone),
        start=start.astimezone(zone),
        targets=targets,
        first_response=due(first) if first is not None else None,
        resolution=due(targets.resolution),
    )

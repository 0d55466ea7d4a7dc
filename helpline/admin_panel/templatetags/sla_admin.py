"""Targets and due times on the service-level pages: "1 h 30 min", and a moment in its own zone
("Monday 23 Nov 2026, 16:00 CET"), not the reader's: a preview speaks the schedule's time."""

from datetime import datetime, timedelta

from django import template

from helpline.core.timefmt import zone_label
from helpline.sla.durations import format_duration

register = template.Library()


@register.filter
def target(value: timedelta | None) -> str:
    return format_duration(value) if value is not None else "—"


@register.filter
def local_time(moment: datetime) -> str:
    """The moment as its own zone writes it (the caller converted it to the schedule's zone)."""
    return f"{moment:%A} {moment.day} {moment:%b %Y, %H:%M} {zone_label(moment)}"

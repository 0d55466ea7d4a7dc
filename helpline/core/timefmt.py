"""One way to write a time everywhere: staff panel, portal and emails.

A time is written in a person's time zone with the zone shown ("1 Dec 2026, 16:23 CET"); where the distance
to now matters more than the clock (queues, due times) it is written relative to now ("in 3 h",
"2 days ago"). Zones are IANA names ("Europe/Berlin"); an empty name means the desk's zone, the
``TIME_ZONE`` setting, so people who never chose one follow the desk when it changes.
"""

from contextvars import ContextVar
from datetime import datetime, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils import timezone

from helpline.core.desk import desk

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The regions of the IANA database people live in; the rest are aliases kept for old systems
# ("US/Eastern", "Etc/GMT+5", "posixrules") and only make the list harder to read.
REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")
# Beyond this a clock time says more than "23 days ago".
RELATIVE_LIMIT = timedelta(days=14)


@cache
def zone_names() -> frozenset[str]:
    """The zones a person may choose: "UTC" and every "Region/City" of the IANA database."""
    return frozenset(
        name for name in available_timezones() if name == "UTC" or name.split("/", 1)[0] in REGIONS
    )


def validate_time_zone(name: str) -> None:
    """Accept an empty name (the desk's zone) or one of ``zone_names()``."""
    if name and name not in zone_names():
        raise ValidationError(f"“{name}” is not a known time zone.", code="invalid_time_zone")


def zone_or_default(name: str | tzinfo | None) -> tzinfo:
    """The zone of that name; the desk's zone (the administrator's choice, else TIME_ZONE) for an empty or
    unknown name (never an error: a zone removed from the database must not break a page)."""
    if isinstance(name, tzinfo):
        return name
    for candidate in (name, desk().time_zone if not name or name not in zone_names() else ""):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                pass
    return timezone.get_default_timezone()


# Whether a door activated a person's zone for what runs now; without one (a task, an anonymous page) times
# with no zone of their own are written in the desk's zone rather than in Django's default.
_person_zone: ContextVar[bool] = ContextVar("person_zone", default=False)


def activate_zone(name: str) -> None:
    """Show this request's times in the named zone (empty: the desk's). ``TimeZoneMiddleware`` resets it."""
    timezone.activate(zone_or_default(name))
    _person_zone.set(True)


def deactivate_zone() -> None:
    timezone.deactivate()
    _person_zone.set(False)


def zone_label(moment: datetime) -> str:
    """The zone's short name at that moment ("CET", "EDT"), or "UTC+04" where the database has none."""
    abbreviation = moment.tzname() or ""
    if abbreviation[:1] in ("+", "-"):
        return f"UTC{abbreviation}"
    return abbreviation


def local(moment: datetime, tz: str | tzinfo | None = None) -> datetime:
    """``moment`` in the zone ``tz``, or in the active zone when ``tz`` is empty (the desk's when no
    person's zone is active)."""
    if tz:
        zone = zone_or_default(tz)
    else:
        zone = timezone.get_current_timezone()
        if not _person_zone.get() and zone is timezone.get_default_timezone():
            zone = zone_or_default("")  # nothing chose a zone (``timezone.override`` counts as a choice)
    return moment.astimezone(zone)


def format_date(moment: datetime, tz: str | tzinfo | None = None) -> str:
    """The day in the desk's date format (``core.desk``): "1 Dec 2026" unless an administrator chose another."""
    moment = local(moment, tz)
    style = desk().date_format
    if style == "iso":
        return f"{moment:%Y-%m-%d}"
    if style == "dmy":
        return f"{moment:%d/%m/%Y}"
    if style == "mdy":
        return f"{moment:%m/%d/%Y}"
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def format_when(moment: datetime, tz: str | tzinfo | None = None) -> str:
    """The exact time with its zone: "1 Dec 2026, 16:23 CET". ``tz`` is a zone name or tzinfo (the
    recipient's, for an email); empty means the active zone, which is the desk's unless a request
    activated a person's zone."""
    moment = local(moment, tz)
    return f"{format_date(moment, moment.tzinfo)}, {moment:%H:%M} {zone_label(moment)}"


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 3 and minutes:
        return f"{hours} h {minutes} min"  # close to a due time the minutes still matter
    if hours < 24:
        return f"{hours} h"
    days = hours // 24
    return f"{days} day" if days == 1 else f"{days} days"


def format_relative(moment: datetime, now: datetime | None = None, tz: str | tzinfo | None = None) -> str:
    """How far from now: "just now", "in 25 min", "in 1 h 40 min", "3 h ago", "2 days ago"; past
    ``RELATIVE_LIMIT`` the date itself ("1 Dec 2026"). Spans are rounded down."""
    now = now or timezone.now()
    seconds = (moment - now).total_seconds()
    if abs(seconds) < 60:
        return "just now"
    if abs(seconds) >= RELATIVE_LIMIT.total_seconds():
        return format_date(moment, tz)
    span = _span(abs(seconds))
    return f"in {span}" if seconds > 0 else f"{span} ago"


def zone_description(moment: datetime, exact: str = "") -> str:
    """The exact time and the zone's full name, for a tooltip: "1 Dec 2026, 16:23 CET (Europe/Berlin)".
    ``exact``: the moment already written by ``format_when`` in the active zone (a list writes many)."""
    moment = local(moment)
    name = getattr(moment.tzinfo, "key", None) or str(moment.tzinfo)
    exact = exact or format_when(moment, moment.tzinfo)
    return exact if name in (zone_label(moment), "UTC") else f"{exact} ({name.replace('_', ' ')})"

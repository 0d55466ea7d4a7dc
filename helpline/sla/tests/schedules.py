"""The schedules the due-time tests count on, as plain ``BusinessHours``."""

from datetime import date, time

from helpline.sla.hours import BusinessHours, Span

MON_FRI = range(5)
EVERY_DAY = range(7)
SUNDAY = 6


def spans(days, start: str, end: str) -> tuple[Span, ...]:
    return tuple(Span.of(day, time.fromisoformat(start), time.fromisoformat(end)) for day in days)


def hours(zone: str, *span_groups: tuple[Span, ...], **calendar) -> BusinessHours:
    return BusinessHours(
        zone=zone, always_open=False, spans=tuple(s for group in span_groups for s in group), **calendar
    )


OFFICE = hours("Europe/Berlin", spans(MON_FRI, "09:00", "17:00"))
SCHEDULES = {
    "office": OFFICE,
    "office+holidays": hours(
        "Europe/Berlin",
        spans(MON_FRI, "09:00", "17:00"),
        dates=frozenset({date(2026, 12, 24)}),
        yearly=frozenset({(12, 25), (12, 26), (1, 1)}),
    ),
    "office DE-BY": hours("Europe/Berlin", spans(MON_FRI, "09:00", "17:00"), country="DE", subdivision="BY"),
    "office DE-BE": hours("Europe/Berlin", spans(MON_FRI, "09:00", "17:00"), country="DE", subdivision="BE"),
    "office US": hours("America/New_York", spans(MON_FRI, "09:00", "17:00"), country="US"),
    "office NY": hours("America/New_York", spans(MON_FRI, "09:00", "17:00")),
    "split": hours("Europe/Berlin", spans(MON_FRI, "08:00", "12:00"), spans(MON_FRI, "13:00", "17:00")),
    "overlapping": hours("Europe/Berlin", spans([0], "09:00", "13:00"), spans([0], "11:00", "17:00")),
    "nights": hours("UTC", spans(MON_FRI, "22:00", "06:00")),
    "nights, Wed 25 Nov off": hours(
        "UTC", spans(MON_FRI, "22:00", "06:00"), dates=frozenset({date(2026, 11, 25)})
    ),
    "Monday evenings to midnight": hours("UTC", spans([0], "18:00", "00:00")),
    "Berlin early hours": hours("Europe/Berlin", spans(EVERY_DAY, "00:00", "06:00")),
    "Berlin Sunday 02:30-04:00": hours("Europe/Berlin", spans([SUNDAY], "02:30", "04:00")),
    "Berlin Sunday 01:00-02:30": hours("Europe/Berlin", spans([SUNDAY], "01:00", "02:30")),
    "Berlin Sunday 00:00-02:30": hours("Europe/Berlin", spans([SUNDAY], "00:00", "02:30")),
    "New York early hours": hours("America/New_York", spans(EVERY_DAY, "00:00", "04:00")),
    "24x7": BusinessHours(),
    "24x7 Berlin, 25 Dec off": BusinessHours(zone="Europe/Berlin", yearly=frozenset({(12, 25)})),
}

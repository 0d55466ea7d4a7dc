"""Schedules: the hours an SLA plan's clock runs in (spans per weekday, holidays, a time zone), or 24x7.

The rows only store and validate; ``Schedule.business_hours()`` turns them into the immutable
``BusinessHours`` that the due-time math counts on (``sla.hours`` states the calendar rules).
"""

from datetime import date, time
from functools import cache

import holidays
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from helpline.core.timefmt import validate_time_zone
from helpline.sla.hours import WEEKDAYS, BusinessHours, Span

MIDNIGHT = time(0, 0)


@cache
def supported_countries() -> dict[str, tuple[str, ...]]:
    """Country codes the ``holidays`` package knows, each with its subdivision codes."""
    return {code: tuple(subdivisions) for code, subdivisions in holidays.list_supported_countries().items()}


def validate_country(code: str) -> None:
    if code and code not in supported_countries():
        raise ValidationError(
            f"“{code}” is not a country code with a holiday calendar (ISO 3166-1 alpha-2, e.g. DE, US).",
            code="unknown_country",
        )


def validate_zone_name(name: str) -> None:
    if not name:
        raise ValidationError("A schedule needs a time zone.", code="required")
    validate_time_zone(name)


class Schedule(models.Model):
    name = models.CharField(max_length=100, unique=True)
    time_zone = models.CharField(
        max_length=64,
        validators=[validate_zone_name],
        help_text="The IANA zone the hours and holidays are in, e.g. Europe/Berlin.",
    )
    is_24x7 = models.BooleanField(
        "24x7", default=False, help_text="Open around the clock every day; the spans are not used."
    )
    country = models.CharField(
        max_length=3,
        blank=True,
        validators=[validate_country],
        help_text="Closed on this country's public holidays (ISO code, e.g. DE). Blank: none.",
    )
    subdivision = models.CharField(
        max_length=10, blank=True, help_text="A state or region's holidays too, e.g. BY for Bavaria."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.country = self.country.strip().upper()
        self.subdivision = self.subdivision.strip().upper()
        if self.subdivision and not self.country:
            raise ValidationError({"subdivision": "A subdivision needs a country."}, code="no_country")
        known = supported_countries().get(self.country, ())
        if self.subdivision and self.country in supported_countries() and self.subdivision not in known:
            raise ValidationError(
                {
                    "subdivision": f"{self.country} has no subdivision “{self.subdivision}”: {', '.join(known)}."
                },
                code="unknown_subdivision",
            )

    def business_hours(self) -> BusinessHours:
        """The schedule as plain data (reads ``spans`` and ``holidays``: prefetch them for many schedules)."""
        days = self.holidays.all()
        return BusinessHours(
            zone=self.time_zone,
            always_open=self.is_24x7,
            spans=tuple(span.as_span() for span in self.spans.all()),
            dates=frozenset(h.date for h in days if h.date is not None),
            yearly=frozenset((h.month, h.day) for h in days if h.date is None and h.month and h.day),
            country=self.country,
            subdivision=self.subdivision,
        )


class ScheduleSpan(models.Model):
    """Open on ``weekday`` from ``start`` to ``end``; an end at or before the start is on the next day, and
    an end of 00:00 is midnight at the end of the day (the forms write it 24:00)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="spans")
    weekday = models.PositiveSmallIntegerField(choices=list(enumerate(WEEKDAYS)))
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.label()}"

    def label(self) -> str:
        end = "24:00" if self.end == MIDNIGHT else f"{self.end:%H:%M}"
        after = " (next day)" if self.end != MIDNIGHT and self.end <= self.start else ""
        return f"{self.start:%H:%M}–{end}{after}"

    def clean(self) -> None:
        super().clean()
        if self.start is not None and self.start == self.end and self.start != MIDNIGHT:
            raise ValidationError(
                {"end": "The span ends when it starts: give an end, or 24:00 with a start of 00:00."},
                code="empty_span",
            )

    def as_span(self) -> Span:
        return Span.of(self.weekday, self.start, self.end)


class Holiday(models.Model):
    """A closed day: one ``date``, or every year on ``month`` and ``day``."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="holidays")
    name = models.CharField(max_length=100)
    date = models.DateField(null=True, blank=True)
    month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )

    class Meta:
        ordering = ["month", "day", "date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(date__isnull=False, month__isnull=True, day__isnull=True))
                | Q(date__isnull=True, month__isnull=False, day__isnull=False),
                name="holiday_date_or_yearly",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.when()})"

    def when(self) -> str:
        if self.date is not None:
            return self.date.isoformat()
        return f"every year on {date(2000, self.month or 1, self.day or 1):%d %B}"

    def clean(self) -> None:
        super().clean()
        single = self.date is not None and self.month is None and self.day is None
        yearly = self.date is None and self.month is not None and self.day is not None
        if not (single or yearly):
            raise ValidationError(
                "Give either a date, or a month and a day for every year.", code="date_or_yearly"
            )
        if self.date is None and self.month and self.day:
            try:
                date(2000, self.month, self.day)  # a leap year: 29 February is a yearly date too
            except ValueError:
                raise ValidationError({"day": "That month has no such day."}, code="no_such_day") from None

"""SLA plans: a first-response and a resolution target (each optionally per priority), the schedule they
count on, whether the clock stops while a ticket is pending, a warning threshold, and escalation steps.

The plan decides and the ticket actions apply: ``targets_for`` says which targets hold for a priority, the
functions of ``sla.clock`` turn them into due times on ``business_hours()``, and the steps say what should
happen on a warning or a breach (applying them, once per ticket, is the tickets app's).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from helpline.catalog.models import Priority
from helpline.core import configuration
from helpline.sla.clock import add_business_time
from helpline.sla.hours import TWENTY_FOUR_SEVEN, BusinessHours

# A target beyond a year of business time is a typing mistake, and would make every due time a long walk.
MAX_TARGET = timedelta(days=366)


def validate_target(value: timedelta | None) -> None:
    if value is None:
        return
    if value <= timedelta(0):
        raise ValidationError("A target must be longer than zero.", code="target_not_positive")
    if value > MAX_TARGET:
        raise ValidationError("A target may be at most 366 days (8,784 hours).", code="target_too_long")


def target_field(label: str, **kwargs) -> models.DurationField:
    return models.DurationField(label, validators=[validate_target], **kwargs)


@dataclass(frozen=True)
class Targets:
    """The targets that hold for one ticket: business time on the plan's schedule. ``first_response`` is
    None when the plan sets none; ``warn_percent`` None means no warning."""

    first_response: timedelta | None
    resolution: timedelta
    warn_percent: int | None

    def warning_after(self, target: timedelta | None) -> timedelta | None:
        """How much of ``target`` passes before the warning: None without a target or a threshold."""
        if target is None or self.warn_percent is None:
            return None
        return target * self.warn_percent / 100


class SLAPlan(models.Model):
    name = models.CharField(max_length=100, unique=True)
    schedule = models.ForeignKey(
        "sla.Schedule",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text="The hours the clock runs in. Blank: 24x7, wall-clock time.",
    )
    first_response_target = target_field(
        "first-response target", null=True, blank=True, help_text="Blank: no first-response target."
    )
    resolution_target = target_field("resolution target")
    pause_when_pending = models.BooleanField(
        "stop the clock while pending",
        default=True,
        help_text="While a ticket waits for its requester, the time does not count.",
    )
    warn_percent = models.PositiveSmallIntegerField(
        "warning at (percent of the target)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="E.g. 75: a warning when three quarters of a target have passed. Blank: no warning.",
    )
    is_active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["resolution_target", "name"]
        verbose_name = "SLA plan"

    def __str__(self) -> str:
        return self.name

    def business_hours(self) -> BusinessHours:
        """The hours the plan counts on (reads the schedule with its spans and holidays: select and prefetch
        them for many plans)."""
        return self.schedule.business_hours() if self.schedule else TWENTY_FOUR_SEVEN

    def targets_for(self, priority: Priority | int | None) -> Targets:
        """The targets for a ticket of ``priority`` (a ``catalog.Priority``, its id, or None): a per-priority
        target where the plan has one for it, else the plan's own. Reads ``targets`` (prefetchable)."""
        priority_id = getattr(priority, "pk", priority)
        special = next((t for t in self.targets.all() if t.priority_id == priority_id), None)
        first_response, resolution = self.first_response_target, self.resolution_target
        if special is not None:
            first_response = special.first_response or first_response
            resolution = special.resolution or resolution
        return Targets(first_response, resolution, self.warn_percent)

    def due_from(self, start: datetime) -> datetime:
        """The resolution due time of a clock started at ``start``: the plan's own resolution target counted
        on its schedule (24x7 without one). Kept for the ticket actions that predate per-priority targets
        and first-response times; ``targets_for`` and ``sla.clock`` are the full interface."""
        return add_business_time(self.business_hours(), start, self.resolution_target)


class SLATarget(models.Model):
    """A plan's targets for one priority; a blank one keeps the plan's."""

    plan = models.ForeignKey(SLAPlan, on_delete=models.CASCADE, related_name="targets")
    priority = models.ForeignKey("catalog.Priority", on_delete=models.PROTECT, related_name="+")
    first_response = target_field("first-response target", null=True, blank=True)
    resolution = target_field("resolution target", null=True, blank=True)

    class Meta:
        ordering = ["plan", "-priority__urgency"]
        verbose_name = "SLA target"
        constraints = [models.UniqueConstraint(fields=["plan", "priority"], name="one_target_per_priority")]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.priority_id}"

    def clean(self) -> None:
        super().clean()
        if self.first_response is None and self.resolution is None:
            raise ValidationError(
                "Give a first-response or a resolution target (or both) for this priority.",
                code="no_target",
            )


class EscalationStep(models.Model):
    """What to do to a ticket when one of its targets reaches the warning threshold or passes."""

    class Target(models.TextChoices):
        FIRST_RESPONSE = "first_response", "First response"
        RESOLUTION = "resolution", "Resolution"

    class Trigger(models.TextChoices):
        WARNING = "warning", "On warning"
        BREACH = "breach", "On breach"

    class Action(models.TextChoices):
        RAISE_PRIORITY = "raise_priority", "Raise the priority one step"
        SET_PRIORITY = "set_priority", "Set the priority to"
        ASSIGN_AGENT = "assign_agent", "Assign to an agent"
        ASSIGN_TEAM = "assign_team", "Assign to a team"
        TRANSFER = "transfer", "Transfer to a department"

    # The one field each action needs; every other is cleared.
    NEEDS = {
        Action.RAISE_PRIORITY: None,
        Action.SET_PRIORITY: "priority",
        Action.ASSIGN_AGENT: "agent",
        Action.ASSIGN_TEAM: "team",
        Action.TRANSFER: "department",
    }

    plan = models.ForeignKey(SLAPlan, on_delete=models.CASCADE, related_name="escalation_steps")
    target = models.CharField(max_length=20, choices=Target.choices)
    trigger = models.CharField("when", max_length=10, choices=Trigger.choices)
    action = models.CharField(max_length=20, choices=Action.choices)
    priority = models.ForeignKey(
        "catalog.Priority", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        "people.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sort = models.PositiveSmallIntegerField(default=0, help_text="Steps of one moment apply in this order.")

    class Meta:
        ordering = ["plan", "target", "trigger", "sort", "id"]
        verbose_name = "escalation step"

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} of {self.get_target_display().lower()}: {self.describe()}"

    def describe(self) -> str:
        needed = self.NEEDS.get(self.Action(self.action)) if self.action in self.Action.values else None
        value = getattr(self, needed) if needed else None
        return f"{self.get_action_display()} {value}" if value is not None else self.get_action_display()

    def clean(self) -> None:
        super().clean()
        if self.action not in self.Action.values:
            return  # the choices' own validation names it
        needed = self.NEEDS[self.Action(self.action)]
        for name in ("priority", "agent", "team", "department"):
            if name != needed:
                setattr(self, name, None)
        if needed and getattr(self, f"{needed}_id") is None:
            raise ValidationError({needed: f"Choose the {needed} for “{self.get_action_display()}”."})


# Kept in each process (with a help topic, as the osTicket API's default destination) until a plan changes.
configuration.track(SLAPlan)

"""The changes an administrator makes to schedules and SLA plans, each in one transaction with its audit record
(what changed, before and after, the spans, holidays, targets and steps written out as a person reads them)."""

from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.forms import ModelForm

from helpline.audit.log import record
from helpline.people.models import Agent
from helpline.sla.durations import format_duration
from helpline.sla.models import Schedule, SLAPlan
from helpline.tickets.tasks import remeasure_sla_task


class Conflict(Exception):
    """Another change saved at the same moment (the same name) makes this one impossible; nothing was saved."""


class Editor(Protocol):
    """A validated form with its formsets (``ScheduleEditor``, ``PlanEditor``)."""

    @property
    def form(self) -> ModelForm: ...

    def formsets(self) -> list[Any]: ...


def schedule_settings(schedule: Schedule) -> dict[str, Any]:
    return {
        "name": schedule.name,
        "time_zone": schedule.time_zone,
        "is_24x7": schedule.is_24x7,
        "country": schedule.country,
        "subdivision": schedule.subdivision,
        "spans": [str(span) for span in schedule.spans.all()],
        "holidays": [str(holiday) for holiday in schedule.holidays.all()],
    }


def _target(value) -> str | None:
    return format_duration(value) if value is not None else None


def plan_settings(plan: SLAPlan) -> dict[str, Any]:
    return {
        "name": plan.name,
        "schedule": {"id": plan.schedule.pk, "name": plan.schedule.name} if plan.schedule else None,
        "first_response_target": _target(plan.first_response_target),
        "resolution_target": _target(plan.resolution_target),
        "pause_when_pending": plan.pause_when_pending,
        "warn_percent": plan.warn_percent,
        "is_active": plan.is_active,
        "notes": plan.notes,
        "targets": [
            f"{t.priority.name}: first response {_target(t.first_response) or 'as the plan'}, "
            f"resolution {_target(t.resolution) or 'as the plan'}"
            for t in plan.targets.select_related("priority")
        ],
        "escalation_steps": [
            str(step)
            for step in plan.escalation_steps.select_related("priority", "agent__user", "team", "department")
        ],
    }


# What does not move a due time: a change of only these recounts no ticket.
NOT_COUNTED = {"name", "notes", "is_active", "escalation_steps"}


def save_schedule(*, actor: Agent, editor: Editor) -> bool:
    """Create or change the schedule with its spans and holidays (precondition: the editor is valid).
    Returns whether anything changed; an unchanged save records nothing. Raises Conflict. Once saved, the
    unfinished tickets of the plans that count on it are recounted in the background."""
    return _save(actor, editor, Schedule, schedule_settings, "schedule")


def save_plan(*, actor: Agent, editor: Editor) -> bool:
    """Create or change the SLA plan with its per-priority targets and escalation steps (precondition: the
    editor is valid). Returns whether anything changed. Raises Conflict. A change of its targets, schedule
    or pausing recounts its unfinished tickets in the background."""
    return _save(actor, editor, SLAPlan, plan_settings, "sla_plan")


def _remeasure_after_commit(saved: Schedule | SLAPlan) -> None:
    if isinstance(saved, SLAPlan):
        plan_ids = [saved.pk]
    else:
        plan_ids = list(SLAPlan.objects.filter(schedule=saved).values_list("pk", flat=True))
    if plan_ids:
        transaction.on_commit(lambda: remeasure_sla_task(plan_ids))


def _save(actor: Agent, editor: Editor, model, settings_of, kind: str) -> bool:
    instance = editor.form.instance
    try:
        with transaction.atomic():
            before = None
            if instance.pk:
                before = settings_of(model.objects.select_for_update().get(pk=instance.pk))
            saved = editor.form.save()
            for formset in editor.formsets():
                formset.instance = saved
                formset.save()
            after = settings_of(model.objects.get(pk=saved.pk))
            if before is None:
                _record(actor, f"{kind}.created", saved, {"after": after})
                return True
            changed = [key for key in after if after[key] != before[key]]
            if not changed:
                return False
            data = {"before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}}
            _record(actor, f"{kind}.changed", saved, data)
            if set(changed) - NOT_COUNTED:
                _remeasure_after_commit(saved)
            return True
    except IntegrityError as error:
        raise Conflict(str(error)) from error


def _record(actor: Agent, action: str, target, data: dict[str, Any]) -> None:
    record(
        actor=actor,
        action=action,
        target_type=action.split(".")[0],
        target_id=target.pk,
        target_repr=target.name,
        data=data,
    )

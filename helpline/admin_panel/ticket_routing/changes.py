"""The changes an administrator makes to help topics and ticket statuses, each in one transaction with its
audit record (what changed: before and after)."""

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, models, transaction

from helpline.admin_panel.email_channel.changes import Conflict, Refused
from helpline.audit.log import record
from helpline.catalog.models import TicketStatus
from helpline.people.models import Agent
from helpline.routing.models import HelpTopic

__all__ = ["Conflict", "Refused"]

TOPIC_SETTINGS = [
    "name",
    "parent",
    "department",
    "is_public",
    "priority",
    "sla_plan",
    "status",
    "auto_response",
    "assign_to_agent",
    "assign_to_team",
    "is_active",
]
TOPIC_RELATIONS = [
    "parent",
    "department",
    "priority",
    "sla_plan",
    "status",
    "assign_to_agent__user",
    "assign_to_team",
]


def ref(row: models.Model | None) -> dict[str, Any] | None:
    """A row as the audit log names it: its id and its name at the time."""
    return {"id": row.pk, "name": str(row)} if row is not None else None


def snapshot(row: models.Model, names: Sequence[str]) -> dict[str, Any]:
    """The values the record keeps: plain values as they are, relations by id and name."""
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(row, name)
        values[name] = ref(value) if isinstance(value, models.Model) else value
    return values


def difference(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    changed = [key for key in after if after[key] != before.get(key)]
    return {
        "before": {key: before.get(key) for key in changed},
        "after": {key: after[key] for key in changed},
    }


def _record(actor: Agent, action: str, row: models.Model, kind: str, data: dict[str, Any]) -> None:
    record(actor=actor, action=action, target_type=kind, target_id=row.pk, target_repr=str(row), data=data)


# Help topics -----------------------------------------------------------------------------------------------


def save_topic(*, actor: Agent, topic: HelpTopic) -> bool:
    """Create ``topic`` (no pk) or save the settings a form put on it (the topics under it take its new
    name). Returns whether anything changed. Raises Conflict when another topic took the same full name
    at the same moment."""
    after = snapshot(topic, TOPIC_SETTINGS)
    try:
        with transaction.atomic():
            if topic.pk is None:
                topic.save()
                _record(actor, "help_topic.created", topic, "help_topic", {"after": after})
                return True
            stored = HelpTopic.objects.select_for_update(of=("self",)).select_related(*TOPIC_RELATIONS)
            before = snapshot(stored.get(pk=topic.pk), TOPIC_SETTINGS)
            change = difference(before, after)
            if not change["after"]:
                return False
            topic.save()
            _record(actor, "help_topic.changed", topic, "help_topic", change)
            return True
    except IntegrityError as error:
        raise Conflict(str(error)) from error


def deactivate_topic(*, actor: Agent, topic_id: int) -> bool:
    """Offer the topic nowhere any more. Returns False when it was inactive already. Raises
    HelpTopic.DoesNotExist."""
    with transaction.atomic():
        topic = HelpTopic.objects.select_for_update().get(pk=topic_id)
        if not topic.is_active:
            return False
        topic.is_active = False
        topic.save(update_fields=["is_active"])
        data = {"before": {"is_active": True}, "after": {"is_active": False}}
        _record(actor, "help_topic.deactivated", topic, "help_topic", data)
    return True


# Ticket statuses -------------------------------------------------------------------------------------------

STATUS_SETTINGS = ["name", "state", "is_default", "sort"]


def save_status(*, actor: Agent, status: TicketStatus, make_default: bool = False) -> bool:
    """Create ``status`` (last of its state; ``make_default`` takes the flag from the state's default) or
    save its new name or state (moved to the end of the new state's statuses). The form has checked what a
    person can mend (a state change while tickets or topics hold the status, or away from a state whose
    default it is). Returns whether anything changed. Raises Conflict on a name taken meanwhile."""
    try:
        with transaction.atomic():
            if status.pk is None:
                status.sort = _next_sort(status.state)
                status.is_default = False
                status.save()
                if make_default:
                    _take_default(status)
                _record(
                    actor,
                    "ticket_status.created",
                    status,
                    "ticket_status",
                    {"after": snapshot(status, STATUS_SETTINGS)},
                )
                return True
            stored = TicketStatus.objects.select_for_update().get(pk=status.pk)
            if stored.state != status.state:
                status.sort = _next_sort(status.state)
            change = difference(snapshot(stored, STATUS_SETTINGS), snapshot(status, STATUS_SETTINGS))
            if not change["after"]:
                return False
            status.save(update_fields=["name", "state", "sort"])
            _record(actor, "ticket_status.changed", status, "ticket_status", change)
            return True
    except IntegrityError as error:
        raise Conflict(str(error)) from error


def _next_sort(state: str) -> int:
    highest = TicketStatus.objects.filter(state=state).aggregate(models.Max("sort"))["sort__max"]
    return 0 if highest is None else highest + 1


def _take_default(status: TicketStatus) -> TicketStatus | None:
    """Make ``status`` its state's default, clearing the flag of the one that had it (first: the
    constraint allows one per state). Returns that one."""
    holder = (
        TicketStatus.objects.select_for_update()
        .filter(state=status.state, is_default=True)
        .exclude(pk=status.pk)
        .first()
    )
    if holder is not None:
        TicketStatus.objects.filter(pk=holder.pk).update(is_default=False)
    TicketStatus.objects.filter(pk=status.pk).update(is_default=True)
    status.is_default = True
    return holder


def make_default_status(*, actor: Agent, status_id: int) -> bool:
    """Tickets entering the status's state get it from now on. Returns False when it was the default
    already. Raises TicketStatus.DoesNotExist."""
    with transaction.atomic():
        status = TicketStatus.objects.select_for_update().get(pk=status_id)
        if status.is_default:
            return False
        previous = _take_default(status)
        data = {
            "state": status.state,
            "before": {"default": ref(previous)},
            "after": {"default": ref(status)},
        }
        _record(actor, "ticket_status.made_default", status, "ticket_status", data)
    return True


def move_status(*, actor: Agent, status_id: int, step: int) -> bool:
    """Move the status one place up (``step`` -1) or down (+1) among its state's statuses. Returns False at
    either end. Raises TicketStatus.DoesNotExist."""
    with transaction.atomic():
        status = TicketStatus.objects.select_for_update().get(pk=status_id)
        siblings = list(
            TicketStatus.objects.select_for_update().filter(state=status.state).order_by("sort", "name")
        )
        moved = reorder(siblings, status, step, "sort")
        if moved is None:
            return False
        data = {"state": status.state, "before": {"position": moved[0]}, "after": {"position": moved[1]}}
        _record(actor, "ticket_status.moved", status, "ticket_status", data)
    return True


def reorder(rows: list, row: models.Model, step: int, field: str) -> tuple[int, int] | None:
    """Move ``row`` by ``step`` within ``rows`` (in their current order) and number them all again in
    steps of 10 in ``field``, writing only the rows whose number changed. Returns the row's position
    before and after (counted from 1), or None when it cannot move that way."""
    index = next(i for i, other in enumerate(rows) if other.pk == row.pk)
    target = index + step
    if not 0 <= target < len(rows):
        return None
    rows.insert(target, rows.pop(index))
    changed = []
    for position, other in enumerate(rows, start=1):
        if getattr(other, field) != position * 10:
            setattr(other, field, position * 10)
            changed.append(other)
    type(row)._default_manager.bulk_update(changed, [field])
    return index + 1, target + 1


def status_in_use_by_topics(status: TicketStatus) -> list[str]:
    """The topics whose new tickets get this status (it must stay on the open state for them)."""
    return list(HelpTopic.objects.filter(status=status).values_list("full_name", flat=True)[:5])

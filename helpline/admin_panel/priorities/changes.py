"""The changes an administrator makes to priorities, each in one transaction with its audit record."""

from typing import Any

from django.db import IntegrityError, transaction

from helpline.admin_panel.email_channel.changes import Conflict
from helpline.admin_panel.ticket_routing.changes import difference, ref, snapshot
from helpline.audit.log import record
from helpline.catalog.models import Priority
from helpline.people.models import Agent

__all__ = ["Conflict"]

PRIORITY_SETTINGS = ["name", "urgency", "color", "is_default"]


def _record(actor: Agent, action: str, priority: Priority, data: dict[str, Any]) -> None:
    record(
        actor=actor,
        action=action,
        target_type="priority",
        target_id=priority.pk,
        target_repr=priority.name,
        data=data,
    )


def _take_default(priority: Priority) -> Priority | None:
    """Make ``priority`` the only default; returns the one that was it."""
    previous = Priority.objects.select_for_update().filter(is_default=True).exclude(pk=priority.pk).first()
    Priority.objects.filter(is_default=True).exclude(pk=priority.pk).update(is_default=False)
    return previous


def save_priority(*, actor: Agent, priority: Priority) -> bool:
    """Create ``priority`` (no pk) or save its settings. A new urgency is copied onto the priority's
    tickets in the same transaction (queues sort by the copy); ticking "default" takes the flag from the
    priority that had it. Returns whether anything changed. Raises Conflict when another priority took the
    name or the urgency at the same moment."""
    after = snapshot(priority, PRIORITY_SETTINGS)
    try:
        with transaction.atomic():
            if priority.pk is None:
                previous = _take_default(priority) if priority.is_default else None
                priority.save()
                _record(
                    actor, "priority.created", priority, {"after": after, "default_before": ref(previous)}
                )
                return True
            stored = Priority.objects.select_for_update().get(pk=priority.pk)
            change: dict[str, Any] = difference(snapshot(stored, PRIORITY_SETTINGS), after)
            if not change["after"]:
                return False
            if priority.is_default and not stored.is_default:
                change["default_before"] = ref(_take_default(priority))
            priority.save()
            if "urgency" in change["after"]:
                change["tickets_reordered"] = priority.apply_urgency_to_tickets()
            _record(actor, "priority.changed", priority, change)
            return True
    except IntegrityError as error:
        raise Conflict(str(error)) from error

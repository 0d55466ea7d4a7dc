"""The changes an administrator makes to departments and teams, each in one transaction with its audit
record (what changed: before and after)."""

from typing import Any

from django.db import IntegrityError, transaction

from helpline.admin_panel.email_channel.changes import Conflict, Refused
from helpline.admin_panel.ticket_routing.changes import difference, ref, snapshot
from helpline.audit.log import record
from helpline.catalog.models import ACTIVE_STATES
from helpline.inbound.models import Mailbox
from helpline.people.models import Agent, Department, Team
from helpline.routing.models import DepartmentDefaults, HelpTopic
from helpline.tickets.models import Ticket

__all__ = ["Conflict", "Refused"]

DEPARTMENT_SETTINGS = ["name", "manager", "email", "reply_address", "signature", "is_active"]
TEAM_SETTINGS = ["name", "lead", "is_active"]
DEFAULTS = ["default_topic", "default_sla_plan"]


def why_department_must_stay(department: Department) -> str:
    """Why the department may not be deactivated now ("" when it may): its members would lose its open
    tickets (only administrators see an inactive department's tickets), and new tickets would still be
    routed to it."""
    if Ticket.objects.filter(department=department, state__in=ACTIVE_STATES).exists():
        return "It still holds open or pending tickets: transfer or close them first."
    topics = list(
        HelpTopic.objects.filter(department=department, is_active=True).values_list("full_name", flat=True)[
            :5
        ]
    )
    if topics:
        return "Active help topics send new tickets to it: " + ", ".join(topics) + "."
    mailboxes = list(
        Mailbox.objects.filter(department=department, is_active=True).values_list("name", flat=True)[:5]
    )
    if mailboxes:
        return "Active mailboxes send new tickets to it: " + ", ".join(mailboxes) + "."
    return ""


def save_department(
    *, actor: Agent, department: Department, defaults: DepartmentDefaults | None = None
) -> bool:
    """Create ``department`` (no pk) or save the settings a form put on it, and its ``defaults`` (routing's
    row: topic and SLA plan for new tickets) when given. Returns whether anything changed. Raises Refused
    when it would become inactive while it must stay (``why_department_must_stay``), Conflict when another
    department took the name at the same moment."""
    after = snapshot(department, DEPARTMENT_SETTINGS)
    if defaults is not None:
        after |= snapshot(defaults, DEFAULTS)
    try:
        with transaction.atomic():
            if department.pk is None:
                department.save()
                _save_defaults(department, defaults)
                _record(actor, "department.created", department, {"after": after})
                return True
            stored = Department.objects.select_for_update(of=("self",)).select_related("manager__user")
            before = snapshot(stored.get(pk=department.pk), DEPARTMENT_SETTINGS)
            if defaults is not None:
                before |= snapshot(_stored_defaults(department), DEFAULTS)
            change = difference(before, after)
            if not change["after"]:
                return False
            if before["is_active"] and not department.is_active:
                reason = why_department_must_stay(department)
                if reason:
                    raise Refused(reason)
            department.save()
            _save_defaults(department, defaults)
            action = (
                "department.deactivated"
                if change["after"].get("is_active") is False
                else "department.changed"
            )
            _record(actor, action, department, change)
            return True
    except IntegrityError as error:
        raise Conflict(str(error)) from error


def _stored_defaults(department: Department) -> DepartmentDefaults:
    stored = DepartmentDefaults.objects.select_related("default_topic", "default_sla_plan")
    return stored.filter(department=department).first() or DepartmentDefaults(department=department)


def _save_defaults(department: Department, defaults: DepartmentDefaults | None) -> None:
    if defaults is None:
        return
    DepartmentDefaults.objects.update_or_create(
        department=department,
        defaults={"default_topic": defaults.default_topic, "default_sla_plan": defaults.default_sla_plan},
    )


def save_team(*, actor: Agent, team: Team, members: list[Agent]) -> bool:
    """Create ``team`` (no pk) or save its settings, and make ``members`` its members. Returns whether
    anything changed. Raises Conflict when another team took the name at the same moment."""
    after = snapshot(team, TEAM_SETTINGS) | {"members": _members(members)}
    try:
        with transaction.atomic():
            if team.pk is None:
                team.save()
                team.members.set(members)
                _record(actor, "team.created", team, {"after": after})
                return True
            stored = Team.objects.select_for_update(of=("self",)).select_related("lead__user").get(pk=team.pk)
            current = list(stored.members.select_related("user"))
            before = snapshot(stored, TEAM_SETTINGS) | {"members": _members(current)}
            change = difference(before, after)
            if not change["after"]:
                return False
            team.save()
            team.members.set(members)
            action = "team.deactivated" if change["after"].get("is_active") is False else "team.changed"
            _record(actor, action, team, change)
            return True
    except IntegrityError as error:
        raise Conflict(str(error)) from error


def _members(agents: list[Agent]) -> list[dict[str, Any] | None]:
    return [ref(agent) for agent in sorted(agents, key=lambda agent: agent.pk)]


def _record(actor: Agent, action: str, row: Department | Team, data: dict[str, Any]) -> None:
    kind = row._meta.model_name
    record(
        actor=actor, action=action, target_type=str(kind), target_id=row.pk, target_repr=row.name, data=data
    )

"""Who hears about what, and the emails they get.

An action records what it must tell as ``Notification`` rows in its own transaction (``schedule``). After the
commit the task queue delivers them (``deliver_notifications``); a periodic sweep takes up any that a lost
task or a killed worker left pending. Delivering one notification writes one outbox row per recipient under a
unique key and marks the notification done, in one transaction: a failure half-way leaves nothing behind, and a
retry writes exactly what is missing, once.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from helpline.core.retries import FAILURE_FIELDS, count_failure
from helpline.mail.outbox import Keyed, deliver_after_commit, queue_keyed_emails
from helpline.people.models import Agent, Requester
from helpline.people.permissions import Perm
from helpline.tickets.access import access_url
from helpline.tickets.models import Notification, ThreadEntry, Ticket

log = logging.getLogger(__name__)

REQUESTER_KINDS = {"new_ticket_requester", "response", "ticket_resolved", "ticket_closed"}
ASSIGNEE_KINDS = {"assigned", "message_alert", "overdue", "reopened"}
# The task queue normally delivers at once; the sweep steps in only after this long.
SWEEP_GRACE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
TICKET_RELATIONS = ("requester", "department__manager__user", "priority", "status", "assignee__user", "team")


@dataclass(frozen=True)
class Owed:
    """A notification an action owes: its kind, the entry it reports, and what the email must also say."""

    kind: str
    entry: ThreadEntry | None = None
    data: dict | None = None


def schedule(ticket: Ticket, owed: Iterable[Owed], *, actor_agent_id: int | None) -> list[Notification]:
    """Record the notifications in the caller's transaction and hand them to the task queue on commit."""
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        Notification(
            kind=item.kind,
            ticket=ticket,
            entry=item.entry,
            actor_agent_id=actor_agent_id,
            data=item.data or {},
            created_at=now,
            next_attempt_at=now + SWEEP_GRACE,
        )
        for item in owed
    )
    if rows:
        from helpline.tickets.tasks import deliver_notifications_task

        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: deliver_notifications_task(ids))
    return rows


def deliver_notifications(notification_ids: Iterable[int]) -> int:
    """Deliver each pending notification; one that fails is recorded for a later attempt and does not
    hold back the others. The emails of the lot go out in one task. Returns how many emails were queued."""
    queued: list[int] = []
    try:
        for notification_id in notification_ids:
            try:
                queued += deliver_notification(notification_id)
            except Exception as error:  # noqa: BLE001 - whatever went wrong, the row says so and is retried
                _record_failure(notification_id, error)
    finally:
        deliver_after_commit(queued)
    return len(queued)


def deliver_notification(notification_id: int) -> list[int]:
    """Turn one pending notification into outbox rows and mark it done, in one transaction; returns the
    new outbox rows' ids for the caller to deliver once that has committed. The notification's row is
    locked first, so two workers never deliver it twice; one already done queues nothing."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
            return []
        ticket = Ticket.objects.select_related(*TICKET_RELATIONS).get(pk=notification.ticket_id)
        ids = queue_keyed_emails(
            [
                Keyed(
                    key=f"notification:{notification.pk}:{address.lower()}",
                    to=address,
                    subject=subject,
                    body_text=body,
                    reason=notification.kind,
                    headers=_headers(ticket),
                    ticket_id=ticket.pk,
                )
                for address, subject, body in _emails(notification, ticket)
            ]
        )
        notification.status = Notification.Status.DONE
        notification.done_at = timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["status", "done_at", "attempts"])
    return ids


def _record_failure(notification_id: int, error: Exception) -> None:
    log.exception("Notification %s could not be delivered", notification_id)
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != Notification.Status.PENDING:
            return
        notification.attempts += 1
        count_failure(notification, error, max_attempts=MAX_ATTEMPTS, gave_up=Notification.Status.FAILED)
        notification.save(update_fields=FAILURE_FIELDS)


def due_notifications(limit: int = 500) -> list[int]:
    """Pending notifications the task queue should have delivered by now (a lost task, a killed worker, a
    failure waiting for its next attempt)."""
    return list(
        Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


# What each notification says, and to whom ------------------------------------------------------------------


def _emails(notification: Notification, ticket: Ticket) -> list[tuple[str, str, str]]:
    """(address, subject, body) for each recipient."""
    entry = notification.entry
    if notification.kind in REQUESTER_KINDS:
        if notification.kind == "response" and entry is None:
            return []
        return [
            _render(notification.kind, address, context)
            for address, context in _requester_contexts(notification, ticket)
        ]
    staff_url = settings.SITE_URL + reverse("staff:ticket", args=[ticket.number])
    context = {"ticket": ticket, "entry": entry, "url": staff_url, **notification.data}
    # Each recipient reads the times in their own zone; a department's shared address in the desk's.
    zones = {
        agent.email: agent.time_zone
        for agent in _agents_for(notification.kind, ticket)
        if agent.pk != notification.actor_agent_id and agent.email
    }
    if notification.kind == "new_ticket_department" and ticket.department.email:
        zones.setdefault(ticket.department.email, "")
    unique = {address.lower(): (address, zone) for address, zone in zones.items()}
    return [
        _render(notification.kind, address, context | {"time_zone": zone})
        for address, zone in unique.values()
    ]


def _requester_contexts(notification: Notification, ticket: Ticket) -> list[tuple[str, dict]]:
    """Each participant, with their own access link (a new ticket's confirmation goes to its requester)."""
    participants = [ticket.requester]
    if notification.kind != "new_ticket_requester":
        participants += list(Requester.objects.filter(collaborator__ticket=ticket))
    return [
        (
            requester.email,
            {
                "ticket": ticket,
                "entry": notification.entry,
                "requester": requester,
                "url": access_url(ticket, requester),
                "time_zone": requester.time_zone,
                **notification.data,
            },
        )
        for requester in participants
    ]


def _agents_for(kind: str, ticket: Ticket) -> list[Agent]:
    if kind in ASSIGNEE_KINDS:
        assignee, team = ticket.assignee, ticket.team
        if assignee is not None and assignee.is_active:
            return [assignee]
        if team is not None:
            return list(team.members.filter(user__is_active=True).select_related("user"))
        if kind == "assigned":
            return []
    # Department alerts go to its agents who may see its tickets, and to its manager.
    department_agents = (
        Agent.objects.filter(memberships__department=ticket.department, user__is_active=True)
        .select_related("user")
        .prefetch_related("memberships__role")
    )
    chosen = {
        agent.pk: agent
        for agent in department_agents
        if any(
            m.department_id == ticket.department_id and Perm.VIEW in m.role.grants()
            for m in agent.memberships.all()
        )
    }
    manager = ticket.department.manager
    if manager is not None and manager.is_active:
        chosen[manager.pk] = manager
    return list(chosen.values())


def _render(kind: str, address: str, context: dict) -> tuple[str, str, str]:
    context = {**context, "site_url": settings.SITE_URL}
    subject = render_to_string(f"tickets/email/{kind}.subject.txt", context).strip()
    body = render_to_string(f"tickets/email/{kind}.txt", context)
    return address, subject, body


def _headers(ticket: Ticket) -> dict[str, str]:
    return {
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "X-Helpline-Ticket": ticket.number,
    }

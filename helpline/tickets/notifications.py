"""Who hears about what, and the emails they get. Runs on the task queue, after the change committed."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from helpline.mail.outbox import queue_email
from helpline.people.models import Agent, Requester
from helpline.people.permissions import Perm
from helpline.tickets.access import access_url
from helpline.tickets.models import ThreadEntry, Ticket

REQUESTER_KINDS = {"new_ticket_requester", "response", "ticket_resolved", "ticket_closed"}


def send_notification(
    kind: str, ticket_id: int, *, entry_id: int | None = None, actor_agent_id: int | None = None
) -> int:
    ticket = (
        Ticket.objects.select_related(
            "requester", "department", "priority", "status", "assignee__user", "team"
        )
        .filter(pk=ticket_id)
        .first()
    )
    entry = ThreadEntry.objects.filter(pk=entry_id).first() if entry_id else None
    if ticket is None or (entry_id and entry is None):
        return 0  # deleted while the notification waited in the queue: nothing to tell anyone
    if kind in REQUESTER_KINDS:
        return _to_requesters(kind, ticket, entry)
    agents = [agent for agent in _agents_for(kind, ticket) if agent.pk != actor_agent_id]
    addresses = [agent.email for agent in agents if agent.email]
    if kind == "new_ticket_department" and ticket.department.email:
        addresses.append(ticket.department.email)
    staff_url = settings.SITE_URL + reverse("staff:ticket", args=[ticket.number])
    context = {"ticket": ticket, "entry": entry, "url": staff_url}
    return _queue(kind, ticket, addresses, context)


def _to_requesters(kind: str, ticket: Ticket, entry: ThreadEntry | None) -> int:
    """One email per participant, each with their own access link."""
    if kind == "response" and entry is None:
        return 0
    participants = [ticket.requester]
    if kind != "new_ticket_requester":
        participants += list(Requester.objects.filter(collaborator__ticket=ticket))
    sent = 0
    for requester in participants:
        context = {
            "ticket": ticket,
            "entry": entry,
            "requester": requester,
            "url": access_url(ticket, requester),
        }
        sent += _queue(kind, ticket, [requester.email], context)
    return sent


def _agents_for(kind: str, ticket: Ticket) -> list[Agent]:
    if kind in {"assigned", "message_alert", "overdue", "reopened"}:
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


def _queue(kind: str, ticket: Ticket, to: list[str], context: dict) -> int:
    context = {**context, "site_url": settings.SITE_URL}
    subject = render_to_string(f"tickets/email/{kind}.subject.txt", context).strip()
    body = render_to_string(f"tickets/email/{kind}.txt", context)
    headers = {
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "X-Helpline-Ticket": ticket.number,
    }
    email = queue_email(
        to=to, subject=subject, body_text=body, reason=kind, headers=headers, ticket_id=ticket.pk
    )
    return 1 if email else 0

"""Helpers for the action tests: a fixed moment to travel to, and a snapshot of everything an action could
change, to show that a refused action changed nothing."""

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.urls import resolve

from helpline.audit.models import AuditEntry
from helpline.catalog.models import TicketStatus
from helpline.mail.models import OutboundEmail
from helpline.tickets.models import Attachment, Collaborator, EntryKind, Notification, ThreadEntry, Ticket

# A fixed moment for tests that travel in time (a Monday morning, UTC).
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def snapshot(ticket: Ticket) -> dict:
    """Every column of the ticket plus the rows that actions add, to compare before and after."""
    return {
        "ticket": Ticket.objects.filter(pk=ticket.pk).values().get(),
        "entries": list(ThreadEntry.objects.filter(ticket=ticket).values_list("pk", flat=True)),
        "collaborators": Collaborator.objects.filter(ticket=ticket).count(),
        "attachments": Attachment.objects.filter(entry__ticket=ticket).count(),
        "emails": OutboundEmail.objects.count(),
        "notifications": Notification.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def events(ticket: Ticket) -> list[str]:
    """The events recorded on the ticket, oldest first."""
    return list(ticket.entries.filter(kind=EntryKind.EVENT).values_list("event", flat=True))


def last_event(ticket: Ticket) -> ThreadEntry:
    return ticket.entries.filter(kind=EntryKind.EVENT).order_by("-created_at", "-id").first()


def ref(row) -> dict:
    """How an event refers to a row: its id and its name."""
    return {"id": row.pk, "name": getattr(row, "display_name", None) or row.name}


def status_moved(previous: TicketStatus, status: TicketStatus) -> dict:
    """The payload of a status change (or reopening) from ``previous`` to ``status``."""
    return {
        "status": ref(status),
        "previous": ref(previous),
        "state": status.state,
        "previous_state": previous.state,
    }


def assign_from_elsewhere(ticket: Ticket, agent, *, by) -> None:
    """Assign ``agent`` while the ticket is in their department, then move it back: how an assignee comes to
    work a ticket outside their departments (nobody is assigned a department's ticket they do not work)."""
    from helpline.tickets.actions import assign_ticket, transfer_ticket

    home = ticket.department
    transfer_ticket(actor=by, ticket=ticket, department=agent.memberships.first().department)
    assign_ticket(actor=by, ticket=ticket, agent=agent)
    transfer_ticket(actor=by, ticket=ticket, department=home)
    ticket.refresh_from_db()


def link_in(body: str) -> str:
    """The access token of the first link in an email's text."""
    url = re.search(r"https?://\S+", body).group(0)
    return resolve(urlsplit(url).path).kwargs["token"]

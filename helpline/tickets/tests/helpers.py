"""Helpers for the action tests: a fixed moment to travel to, and a snapshot of everything an action could
change, to show that a refused action changed nothing."""

from datetime import UTC, datetime

from helpline.mail.models import OutboundEmail
from helpline.tickets.models import Attachment, Collaborator, EntryKind, ThreadEntry, Ticket

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
    }


def events(ticket: Ticket) -> list[str]:
    """The events recorded on the ticket, oldest first."""
    return list(ticket.entries.filter(kind=EntryKind.EVENT).values_list("event", flat=True))


def last_event(ticket: Ticket) -> ThreadEntry:
    return ticket.entries.filter(kind=EntryKind.EVENT).order_by("-created_at", "-id").first()

"""Which ticket events a hook can be sent, how a thread entry maps to them, and the payload it gets."""

import json
from datetime import datetime

from helpline.catalog.models import State
from helpline.tickets.models import EntryKind, Event, ThreadEntry, Ticket

# The event types, in the order the form lists them, and how an administrator reads them.
EVENT_TYPES = {
    "ticket.created": "Created",
    "ticket.message": "Message from the requester",
    "ticket.response": "Response from an agent",
    "ticket.note": "Internal note",
    "ticket.assigned": "Assigned",
    "ticket.transferred": "Transferred",
    "ticket.status_changed": "Status changed",
    "ticket.overdue": "Overdue",
    "ticket.closed": "Closed",
    "ticket.merged": "Merged into another ticket",
}
BY_KIND = {
    EntryKind.MESSAGE: "ticket.message",
    EntryKind.RESPONSE: "ticket.response",
    EntryKind.NOTE: "ticket.note",
}
BY_EVENT = {
    Event.CREATED: "ticket.created",
    Event.ASSIGNED: "ticket.assigned",
    Event.TRANSFERRED: "ticket.transferred",
    Event.STATUS: "ticket.status_changed",
    Event.REOPENED: "ticket.status_changed",
    Event.OVERDUE: "ticket.overdue",
    Event.MERGED_INTO: "ticket.merged",
}
# The text of a message, response or note the payload carries at most (the ticket has the rest).
BODY_CHARS = 20_000


def event_types(entry: ThreadEntry) -> list[str]:
    """The types a thread entry is sent as: none for most events; a status change into the closed state is
    both ``ticket.status_changed`` and ``ticket.closed``, so a hook may follow either."""
    if entry.kind != EntryKind.EVENT:
        return [BY_KIND[EntryKind(entry.kind)]]
    kind = BY_EVENT.get(Event(entry.event))
    if kind is None:
        return []
    if entry.event == Event.STATUS and entry.data.get("state") == State.CLOSED:
        return [kind, "ticket.closed"]
    return [kind]


def payload(event_type: str, entry: ThreadEntry, ticket: Ticket) -> str:
    """The JSON body: the type, when it happened, the ticket as it is after the change, and the entry."""
    return json.dumps(
        {
            "type": event_type,
            "timestamp": _iso(entry.created_at),
            "data": {"ticket": _ticket(ticket), "entry": _entry(entry)},
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _ticket(ticket: Ticket) -> dict:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "subject": ticket.subject,
        "department": {"id": ticket.department_id, "name": ticket.department.name},
        "status": {"id": ticket.status_id, "name": ticket.status.name, "state": ticket.status.state},
    }


def _entry(entry: ThreadEntry) -> dict:
    data: dict = {
        "id": entry.pk,
        "kind": entry.kind,
        "created_at": _iso(entry.created_at),
        "author": {
            "name": entry.author_name,
            "agent_id": entry.author_agent_id,
            "requester_id": entry.author_requester_id,
        },
    }
    if entry.kind == EntryKind.EVENT:
        data |= {"event": entry.event, "data": entry.data}
    else:
        data["body_text"] = entry.body_text[:BODY_CHARS]
    return data


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")

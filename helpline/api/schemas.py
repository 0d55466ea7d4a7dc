"""What the API reads and writes: the JSON shapes of tickets, thread entries, people and reference rows,
and the functions that turn rows (loaded with their relations) into them without further queries."""

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AfterValidator, Field, model_validator

from helpline.people.models import Agent, Organization, Requester
from helpline.tickets.models import ThreadEntry, Ticket


def _email(value: str) -> str:
    try:
        validate_email(value.strip())
    except ValidationError:
        raise ValueError("not an email address") from None
    return value.strip()


# An email address as Django checks it (the same rule as every form of the desk).
Email = Annotated[str, Field(max_length=254, json_schema_extra={"format": "email"}), AfterValidator(_email)]


# A row's id: bounded as the database's keys are (a larger number is a 422, not a database error).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(item) for item in value)
    return False


class Input(Schema):
    """What callers send: like a form's fields, no text may hold a NUL character (PostgreSQL stores none)."""

    @model_validator(mode="after")
    def _no_nul(self) -> "Input":
        if _has_nul(self.model_dump()):
            raise ValueError("Null characters are not allowed.")
        return self


class Named(Schema):
    id: int
    name: str


class RequesterOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    organization: Named | None
    created_at: datetime


class TicketOut(Schema):
    number: str
    subject: str
    state: str
    status: Named
    priority: Named
    department: Named
    topic: Named | None
    requester: RequesterOut
    assignee: Named | None
    team: Named | None
    sla_plan: Named | None
    source: str
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    first_response_due_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    is_overdue: bool
    version: int = Field(description="Raised by every change; send it back as If-Match to change safely.")
    merged_into: str | None = Field(description="The number of the ticket this one was merged into.")


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int


class EntryOut(Schema):
    id: int
    kind: str = Field(description="message, response, note (agents only) or event")
    event: str
    author_name: str
    created_at: datetime
    body_text: str
    body_html: str
    data: dict[str, Any]
    attachments: list[AttachmentOut]


class TicketWithThread(TicketOut):
    thread: list[EntryOut]


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last one.")


class OrganizationOut(Schema):
    id: int
    name: str
    created_at: datetime


class AgentOut(Schema):
    id: int
    name: str
    email: str
    is_active: bool


def named(row: Any) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "id": row.pk,
        "name": getattr(row, "full_name", "") or getattr(row, "display_name", "") or row.name,
    }


def requester_out(requester: Requester) -> dict[str, Any]:
    return {
        "id": requester.pk,
        "name": requester.name,
        "email": requester.email,
        "phone": requester.phone,
        "organization": named(requester.organization),
        "created_at": requester.created_at,
    }


def ticket_out(ticket: Ticket) -> dict[str, Any]:
    """Needs the relations of ``TICKET_RELATIONS`` loaded."""
    return {
        "number": ticket.number,
        "subject": ticket.subject,
        "state": ticket.state,
        "status": named(ticket.status),
        "priority": named(ticket.priority),
        "department": named(ticket.department),
        "topic": named(ticket.topic),
        "requester": requester_out(ticket.requester),
        "assignee": named(ticket.assignee),
        "team": named(ticket.team),
        "sla_plan": named(ticket.sla_plan),
        "source": ticket.source,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "due_at": ticket.due_at,
        "first_response_due_at": ticket.first_response_due_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "is_overdue": ticket.is_overdue,
        "version": ticket.version,
        "merged_into": ticket.merged_into.number if ticket.merged_into else None,
    }


TICKET_RELATIONS = (
    "status",
    "priority",
    "department",
    "topic",
    "requester__organization",
    "assignee__user",
    "team",
    "sla_plan",
    "merged_into",
)


def entry_out(entry: ThreadEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "event": entry.event,
        "author_name": entry.author_name,
        "created_at": entry.created_at,
        "body_text": entry.body_text,
        "body_html": entry.body_html,
        "data": entry.data,
        "attachments": [
            {"id": a.pk, "filename": a.filename, "content_type": a.content_type, "size": a.size}
            for a in entry.attachments.all()
        ],
    }


def organization_out(organization: Organization) -> dict[str, Any]:
    return {"id": organization.pk, "name": organization.name, "created_at": organization.created_at}


def agent_out(agent: Agent) -> dict[str, Any]:
    return {"id": agent.pk, "name": agent.display_name, "email": agent.email, "is_active": agent.is_active}

"""The pieces every action shares: locking the ticket, authorship, thread entries and events."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from helpline.core.sanitize import html_to_text, sanitize_html
from helpline.people.actors import Actor, SystemActor
from helpline.people.models import Agent, Requester
from helpline.tickets.attachments import store_attachments
from helpline.tickets.models import EntryKind, ThreadEntry, Ticket
from helpline.tickets.tasks import notify

MAX_BODY_CHARS = 100_000


def lock_ticket(ticket: Ticket | int) -> Ticket:
    """Re-read the ticket under a row lock (PostgreSQL). On SQLite the IMMEDIATE transaction that every
    action runs in already serializes writers. Must be called inside ``transaction.atomic``."""
    pk = ticket if isinstance(ticket, int) else ticket.pk
    return Ticket.objects.select_for_update(of=("self",)).select_related("status", "department").get(pk=pk)


def author_fields(actor: Actor) -> dict[str, Any]:
    if isinstance(actor, Agent):
        return {"author_agent": actor, "author_name": actor.display_name}
    if isinstance(actor, Requester):
        return {"author_requester": actor, "author_name": actor.name}
    if isinstance(actor, SystemActor):
        return {"author_name": actor.name}
    raise TypeError(f"Not an actor: {actor!r}")


def body_fields(body: str, body_format: str) -> dict[str, str]:
    """Plain text as given, or sanitized HTML plus its text rendering. Bodies are bounded in size."""
    if body_format == "html":
        clean = sanitize_html(body[: MAX_BODY_CHARS * 2])
        return {"body_html": clean, "body_text": html_to_text(clean)[:MAX_BODY_CHARS]}
    if body_format != "text":
        raise ValueError(f"Unknown body format {body_format!r}")
    return {"body_text": body.replace("\r\n", "\n").strip()[:MAX_BODY_CHARS], "body_html": ""}


def add_entry(
    ticket: Ticket,
    actor: Actor,
    kind: str,
    at: datetime,
    *,
    body: str = "",
    body_format: str = "text",
    attachments: Sequence[UploadedFile] = (),
    author: Actor | None = None,
) -> ThreadEntry:
    fields = body_fields(body, body_format) if body else {}
    entry = ThreadEntry.objects.create(
        ticket=ticket, kind=kind, created_at=at, **author_fields(author or actor), **fields
    )
    store_attachments(entry, attachments, at)
    return entry


def record_event(ticket: Ticket, actor: Actor, event: str, at: datetime, **data: Any) -> ThreadEntry:
    return ThreadEntry.objects.create(
        ticket=ticket, kind=EntryKind.EVENT, event=event, data=data, created_at=at, **author_fields(actor)
    )


def touch(ticket: Ticket, at: datetime, *fields: str) -> None:
    ticket.updated_at = at
    ticket.save(update_fields=["updated_at", *fields])


def notify_on_commit(
    kind: str, ticket: Ticket, *, entry: ThreadEntry | None = None, actor: Actor | None = None
) -> None:
    """Queue a notification for after the commit; a rolled-back change notifies nobody."""
    ticket_id, entry_id = ticket.pk, entry.pk if entry else None
    actor_agent_id = actor.pk if isinstance(actor, Agent) else None
    transaction.on_commit(lambda: notify(kind, ticket_id, entry_id=entry_id, actor_agent_id=actor_agent_id))

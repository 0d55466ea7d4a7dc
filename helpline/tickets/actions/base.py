"""The pieces every action shares: locking the ticket, authorship, thread entries and events."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from helpline.core.prepared_inserts import PreparedInsert
from helpline.core.sanitize import html_to_text, sanitize_html
from helpline.people.actors import Actor
from helpline.tickets.attachments import store_attachments
from helpline.tickets.events import EventData, as_json
from helpline.tickets.handover import reindex_on_commit
from helpline.tickets.models import EntryKind, ThreadEntry, Ticket
from helpline.tickets.notifications import Owed, schedule
from helpline.tickets.signals import announce_on_commit

MAX_BODY_CHARS = 100_000
# Every change writes entries: their INSERT is compiled once (core.prepared_inserts).
ENTRIES = PreparedInsert(ThreadEntry)


def lock_ticket(ticket: Ticket | int) -> Ticket:
    """Re-read the ticket under a row lock and return it fresh, with its status and department.

    The lock is taken on the ticket row alone: a locking query that joined the status would, on PostgreSQL,
    re-check the join after waiting for another transaction that changed the status, no longer match, and
    return nothing. On SQLite the IMMEDIATE transaction every action runs in already serializes writers.
    Must be called inside ``transaction.atomic``."""
    pk = ticket if isinstance(ticket, int) else ticket.pk
    list(Ticket.objects.select_for_update().filter(pk=pk).values_list("pk"))
    return Ticket.objects.select_related("status", "department").get(pk=pk)


def author_fields(actor: Actor) -> dict[str, Any]:
    """Who wrote an entry, as the record keeps it: the agent or requester row, and the name at the time."""
    ref = actor.actor_ref()
    return {"author_agent_id": ref.agent_id, "author_requester_id": ref.requester_id, "author_name": ref.name}


def body_fields(body: str, body_format: str) -> dict[str, str]:
    """Plain text as given, or sanitized HTML plus its text rendering. Bodies are bounded in size and carry
    no NUL (no database text column takes one, and nothing shown needs it). Empty for no body."""
    if not body:
        return {}
    body = body.replace("\x00", "")
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
    original: str = "",
    rendered: dict[str, str] | None = None,
) -> ThreadEntry:
    """``original``: the whole text of a message that arrived by email, when ``body`` is its new part only;
    ``rendered``: ``body_fields`` of the body, where the caller has them already (the filter rules read them)."""
    fields = dict(rendered) if rendered is not None else body_fields(body, body_format)
    if original:
        fields["original_text"] = original.replace("\r\n", "\n").replace("\x00", "")[:MAX_BODY_CHARS]
    entry = ThreadEntry(ticket=ticket, kind=kind, created_at=at, **author_fields(author or actor), **fields)
    ENTRIES.insert(entry)
    store_attachments(entry, attachments, at)
    reindex_on_commit(ticket.pk)  # what the ticket is found by has grown
    announce_on_commit(entry)
    return entry


def record_event(ticket: Ticket, actor: Actor, payload: EventData, at: datetime) -> ThreadEntry:
    """Append an event; its kind is the payload's, and the payload was checked when it was built."""
    entry = ThreadEntry(
        ticket=ticket,
        kind=EntryKind.EVENT,
        event=payload.kind,
        data=as_json(payload),
        created_at=at,
        **author_fields(actor),
    )
    ENTRIES.insert(entry)
    announce_on_commit(entry)
    return entry


def touch(ticket: Ticket, at: datetime, *fields: str) -> None:
    """Save the changed fields of the ticket locked by the caller's transaction, with the time of the change
    and the next version (``tickets.conflicts``): read under the lock, so the increment is never lost."""
    ticket.updated_at = at
    ticket.version += 1
    ticket.save(update_fields=["updated_at", "version", *fields])


def notify(ticket: Ticket, actor: Actor, *owed: Owed) -> None:
    """Record what the change must tell people, in its own transaction; delivered once it commits."""
    schedule(ticket, owed, actor_agent_id=actor.actor_ref().agent_id)

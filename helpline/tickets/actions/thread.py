"""Writing to the thread: requester messages, agent responses, internal notes."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from helpline.catalog.models import State, TicketStatus
from helpline.people.actors import Actor
from helpline.people.models import Agent, Requester
from helpline.people.permissions import Perm
from helpline.tickets.actions.base import add_entry, lock_ticket, notify_on_commit, touch
from helpline.tickets.actions.status import change_status
from helpline.tickets.models import EntryKind, ThreadEntry, Ticket
from helpline.tickets.policy import NotAllowed, perm_for_status, require


def post_message(
    *,
    actor: Actor,
    ticket: Ticket,
    body: str,
    body_format: str = "text",
    attachments: Sequence[UploadedFile] = (),
    author: Requester | None = None,
) -> ThreadEntry:
    """A message from the requester or a collaborator (``author``, defaulting to the actor). A message on
    a resolved or closed ticket reopens it. The assignee (or the department) is alerted."""
    if author is None:
        if not isinstance(actor, Requester):
            raise TypeError("Messages come from requesters; agents post responses or notes.")
        author = actor
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.REPLY, ticket)
        require(author, Perm.REPLY, ticket)
        now = timezone.now()
        entry = add_entry(
            ticket,
            actor,
            EntryKind.MESSAGE,
            now,
            body=body,
            body_format=body_format,
            attachments=attachments,
            author=author,
        )
        fields = ["last_message_at"]
        ticket.last_message_at = now
        if ticket.is_finished or ticket.state == State.PENDING:
            fields += change_status(ticket, actor, TicketStatus.default_for(State.OPEN), now)
        touch(ticket, now, *fields)
        notify_on_commit("message_alert", ticket, entry=entry, actor=actor)
    return entry


def post_reply(
    *,
    actor: Agent,
    ticket: Ticket,
    body: str,
    body_format: str = "text",
    attachments: Sequence[UploadedFile] = (),
    status: TicketStatus | None = None,
) -> ThreadEntry:
    """An agent's response, emailed to the requester and collaborators; optionally changes the status
    in the same step (e.g. reply and set pending, or reply and resolve)."""
    if isinstance(actor, Requester):
        # Requesters hold the reply permission on their ticket, but what they write is a message.
        raise NotAllowed("Requesters post messages, not responses.")
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.REPLY, ticket)
        now = timezone.now()
        entry = add_entry(
            ticket,
            actor,
            EntryKind.RESPONSE,
            now,
            body=body,
            body_format=body_format,
            attachments=attachments,
        )
        fields = ["last_response_at"]
        ticket.last_response_at = now
        if ticket.first_response_at is None:
            ticket.first_response_at = now
            fields.append("first_response_at")
        if status is not None and status.pk != ticket.status_id:
            require(actor, perm_for_status(status.state), ticket)
            fields += change_status(ticket, actor, status, now)
        touch(ticket, now, *fields)
        notify_on_commit("response", ticket, entry=entry, actor=actor)
    return entry


def add_note(
    *,
    actor: Agent,
    ticket: Ticket,
    body: str,
    body_format: str = "text",
    attachments: Sequence[UploadedFile] = (),
) -> ThreadEntry:
    """An internal note: agents only, never shown or sent to requesters."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.NOTE, ticket)
        now = timezone.now()
        entry = add_entry(
            ticket, actor, EntryKind.NOTE, now, body=body, body_format=body_format, attachments=attachments
        )
        touch(ticket, now)
    return entry

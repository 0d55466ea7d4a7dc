"""Writing to the thread: requester messages, agent responses, internal notes."""

from collections.abc import Sequence
from typing import cast

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from helpline.catalog.models import FINISHED_STATES, State, TicketStatus
from helpline.people.actors import Actor, ActorKind
from helpline.people.models import Requester
from helpline.tickets import sla_clock
from helpline.tickets.actions import rules
from helpline.tickets.actions.base import add_entry, body_fields, lock_ticket, notify, record_event, touch
from helpline.tickets.actions.following import followers_owed
from helpline.tickets.actions.mentions import record_mentions
from helpline.tickets.actions.signatures import signed
from helpline.tickets.actions.status import change_status, status_change
from helpline.tickets.conflicts import Change, require_current, require_read
from helpline.tickets.events import Bounced
from helpline.tickets.models import EntryKind, ReplyLock, ThreadEntry, Ticket
from helpline.tickets.notifications import Owed
from helpline.tickets.policy import require_message_from, require_state, require_writes


def post_message(
    *,
    actor: Actor,
    ticket: Ticket,
    body: str,
    body_format: str = "text",
    attachments: Sequence[UploadedFile] = (),
    author: Requester | None = None,
    reopen: bool = True,
    original: str = "",
    envelope: rules.Envelope | None = None,
) -> ThreadEntry:
    """A message written by the requester or a collaborator (``author``; by default the actor itself, who
    must then be that requester), posted by them or by an actor the policy lets post for them (the email
    intake, an agent recording a call). A message on a resolved, closed or pending ticket opens it again,
    unless ``reopen`` is False (an automatic reply, such as an out-of-office notice, changes no state).
    The assignee (or the department) is alerted. The filter rules that run on messages then change the
    ticket, each in its own name; one that rejects the message raises RejectedByRule, and nothing is
    posted. ``envelope`` gives the rules the mailbox and headers of a message that came by email."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        if author is None:
            require_writes(actor, EntryKind.MESSAGE, ticket)
            author = cast(Requester, actor)  # the policy let only a requester write in their own name
        require_message_from(actor, author, ticket)
        rendered = body_fields(body, body_format)  # read by the rules and stored
        decision = rules.message_decision(actor, ticket, author, rendered.get("body_text", ""), envelope)
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
            original=original,
            rendered=rendered,
        )
        fields = ["last_message_at"]
        ticket.last_message_at = now
        if reopen and (ticket.is_finished or ticket.state == State.PENDING):
            fields += change_status(ticket, actor, TicketStatus.default_for(State.OPEN), now)
        touch(ticket, now, *fields)
        followers = followers_owed(ticket, author, "message", entry=entry, covered_by=("message_alert",))
        notify(ticket, actor, Owed("message_alert", entry=entry), *followers)
        if decision.matched:
            rules.apply_to_ticket(ticket.pk, decision)
    return entry


def post_reply(
    *,
    actor: Actor,
    ticket: Ticket,
    body: str,
    body_format: str = "text",
    attachments: Sequence[UploadedFile] = (),
    status: TicketStatus | None = None,
    original: str = "",
    expected_version: int | None = None,
    seen_entry_id: int | None = None,
) -> ThreadEntry:
    """An agent's response, emailed to the requester and collaborators; optionally changes the status
    in the same step (e.g. reply and set pending, or reply and resolve: one email then says both).
    Followers hear of it; the author's soft lock on replying is released.

    With ``seen_entry_id`` (the newest entry the agent's page showed), a reply written while someone else
    wrote a message, response or note is held back: NewEntriesArrived, nothing stored. The status set with
    it is checked as ``set_status`` checks one (ChangedMeanwhile); the text itself conflicts with nothing."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require_writes(actor, EntryKind.RESPONSE, ticket)
        changes = [Change.REPLY]
        if status is not None and status.pk != ticket.status_id:
            changes.append(status_change(status))
        seen = {"expected_version": expected_version, "seen_entry_id": seen_entry_id}
        require_current(ticket, changes, **seen)
        require_read(ticket, **seen, reader_agent_id=actor.actor_ref().agent_id)
        now = timezone.now()
        entry = add_entry(
            ticket,
            actor,
            EntryKind.RESPONSE,
            now,
            body=signed(body, body_format, actor, ticket),
            body_format=body_format,
            attachments=attachments,
            original=original,
        )
        fields = ["last_response_at"]
        ticket.last_response_at = now
        if ticket.first_response_at is None and actor.actor_kind != ActorKind.CHANNEL:
            # A person's answer; a filter rule's canned reply does not meet the first-response target.
            ticket.first_response_at = now
            fields.append("first_response_at")
            fields += sla_clock.recompute(ticket, now)  # the first-response target is met
        if status is not None and status.pk != ticket.status_id:
            require_state(actor, ticket, status.state)
            fields += change_status(ticket, actor, status, now)
        touch(ticket, now, *fields)
        finished = ticket.state if ticket.state in FINISHED_STATES else ""
        response = Owed("response", entry=entry, data={"finished_state": finished})
        notify(ticket, actor, response, *followers_owed(ticket, actor, "reply", entry=entry))
        if (author_id := actor.actor_ref().agent_id) is not None:
            ReplyLock.objects.filter(ticket=ticket, agent_id=author_id).delete()  # the reply is sent
    return entry


def add_note(
    *,
    actor: Actor,
    ticket: Ticket,
    body: str,
    body_format: str = "text",
    attachments: Sequence[UploadedFile] = (),
    original: str = "",
    expected_version: int | None = None,
    seen_entry_id: int | None = None,
) -> ThreadEntry:
    """An internal note: agents only, never shown or sent to requesters; followers hear of it, and the
    agents it mentions who may see the ticket are recorded and alerted (``tickets.mentions``). It conflicts
    with nothing that happened meanwhile (``tickets.conflicts``): the version is accepted for the doors'
    sake and never refuses a note."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require_writes(actor, EntryKind.NOTE, ticket)
        require_current(ticket, [Change.NOTE], expected_version=expected_version, seen_entry_id=seen_entry_id)
        now = timezone.now()
        entry = add_entry(
            ticket,
            actor,
            EntryKind.NOTE,
            now,
            body=body,
            body_format=body_format,
            attachments=attachments,
            original=original,
        )
        touch(ticket, now)
        mentioned = [mention.agent_id for mention in record_mentions(ticket, actor, entry, now)]
        notify(ticket, actor, *followers_owed(ticket, actor, "note", entry=entry, told=mentioned))
    return entry


def record_bounce(
    *, actor: Actor, ticket: Ticket, recipient: str, status: str, diagnostic: str, message_id: str
) -> ThreadEntry:
    """Record on the ticket that an email sent about it came back undelivered (never as a message from
    anyone): the view permission, which the email intake holds on no ticket, is not asked; the bounce was
    matched to an email Helpline sent about this ticket."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        now = timezone.now()
        bounced = Bounced(
            recipient=recipient[:254],
            status=status[:20],
            diagnostic=diagnostic[:500],
            message_id=message_id[:998],
        )
        entry = record_event(ticket, actor, bounced, now)
        touch(ticket, now)
    return entry

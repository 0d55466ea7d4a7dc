"""Related tickets: linking two tickets, removing the link, and splitting a message off into a ticket of its
own, linked to the one it came from."""

from contextlib import ExitStack

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from helpline.people.actors import Actor
from helpline.people.permissions import Perm
from helpline.tickets.actions.base import lock_ticket, record_event, touch
from helpline.tickets.actions.intake import Routing, open_ticket
from helpline.tickets.events import Linked, SplitFrom, SplitTo, TicketRef, Unlinked
from helpline.tickets.models import Attachment, EntryKind, Source, ThreadEntry, Ticket, TicketLink
from helpline.tickets.policy import NotAllowed, require


def _lock_pair(a: Ticket, b: Ticket) -> tuple[Ticket, Ticket]:
    """Both rows locked in id order (two actions on the same pair wait, never deadlock), returned fresh."""
    first, second = sorted([a.pk, b.pk])
    locked = {first: lock_ticket(first), second: lock_ticket(second)}
    return locked[a.pk], locked[b.pk]


def _require_linkable(actor: Actor, ticket: Ticket, other: Ticket) -> None:
    if ticket.pk == other.pk:
        raise NotAllowed(f"Ticket #{ticket.number} cannot be linked to itself.")
    for one in (ticket, other):
        if one.merged_into_id is not None:
            raise NotAllowed(f"Ticket #{one.number} was merged into another ticket: link that one instead.")
        require(actor, Perm.EDIT, one)


def link_tickets(*, actor: Actor, ticket: Ticket, other: Ticket) -> bool:
    """Link two related tickets (the edit permission on both; neither merged, not a ticket to itself). The
    link reads the same from either side, and each ticket's thread records it. Returns False, changing
    nothing, when they are linked already. Raises NotAllowed."""
    if ticket.pk == other.pk:
        raise NotAllowed(f"Ticket #{ticket.number} cannot be linked to itself.")
    with transaction.atomic():
        ticket, other = _lock_pair(ticket, other)
        _require_linkable(actor, ticket, other)
        now = timezone.now()
        _, created = TicketLink.objects.get_or_create(
            **TicketLink.pair(ticket.pk, other.pk), defaults={"created_at": now}
        )
        if not created:
            return False
        for one, two in ((ticket, other), (other, ticket)):
            touch(one, now)
            record_event(one, actor, Linked(other=TicketRef.of(two)), now)
    return True


def unlink_tickets(*, actor: Actor, ticket: Ticket, other: Ticket) -> bool:
    """Remove the link between two tickets (the edit permission on both). Returns False, changing nothing,
    when they are not linked. Raises NotAllowed."""
    if ticket.pk == other.pk:
        return False
    with transaction.atomic():
        ticket, other = _lock_pair(ticket, other)
        for one in (ticket, other):
            require(actor, Perm.EDIT, one)
        removed, _ = TicketLink.objects.filter(**TicketLink.pair(ticket.pk, other.pk)).delete()
        if not removed:
            return False
        now = timezone.now()
        for one, two in ((ticket, other), (other, ticket)):
            touch(one, now)
            record_event(one, actor, Unlinked(other=TicketRef.of(two)), now)
    return True


def split_entry(*, actor: Actor, ticket: Ticket, entry: ThreadEntry) -> Ticket:
    """Open a new ticket from one message of ``ticket``: for the message's author (the requester or a
    collaborator), with its text and copies of its attachments, under the ticket's subject, department and
    help topic, opened by ``actor`` for them (who gets the usual confirmation with their link). The message
    stays where it was. The two tickets are linked, and each thread says which came from which.

    The edit permission on ``ticket`` and the right to open tickets in its department
    (``policy.require_open``). Only a participant's message can become a ticket of its own: a response or a
    note has no requester to open it for. Raises NotAllowed (RejectedByRule when a filter rule rejects the
    new ticket), or ValidationError when a copied file is no longer accepted."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.EDIT, ticket)
        if entry.ticket_id != ticket.pk or entry.kind != EntryKind.MESSAGE or entry.author_requester is None:
            raise NotAllowed(
                "Only a message from the requester or a collaborator can become a ticket of its own."
            )
        with ExitStack() as files:
            copies = [_copy_of(files, attachment) for attachment in entry.attachments.all()]
            new = open_ticket(
                actor=actor,
                requester=entry.author_requester,
                subject=ticket.subject,
                body=entry.body_html or entry.body_text,
                body_format="html" if entry.body_html else "text",
                source=Source.AGENT,
                routing=Routing(topic=ticket.topic, department=ticket.department),
                attachments=copies,
            )
        now = timezone.now()
        TicketLink.objects.create(**TicketLink.pair(ticket.pk, new.pk), created_at=now)
        touch(ticket, now)
        record_event(ticket, actor, SplitTo(new=TicketRef.of(new), entry_id=entry.pk), now)
        record_event(new, actor, SplitFrom(original=TicketRef.of(ticket), entry_id=entry.pk), now)
    return new


def _copy_of(files: ExitStack, attachment: Attachment) -> UploadedFile:
    """The stored file as an upload for the new ticket's message (its own copy in storage, so deleting one
    ticket leaves the other's files), keeping an inline image's Content-ID."""
    stored = files.enter_context(attachment.file.open("rb"))
    copy = UploadedFile(
        stored, name=attachment.filename, content_type=attachment.content_type, size=attachment.size
    )
    copy.content_id = attachment.content_id  # type: ignore[attr-defined]  # read by store_attachments
    return copy

"""Deleting a ticket for good: its rows in one transaction, its files once that has committed, and a record
of the deletion in the audit log that outlives the ticket."""

import logging

from django.core.files.storage import Storage
from django.db import transaction

from helpline.audit.log import record
from helpline.people.actors import Actor
from helpline.people.permissions import Perm
from helpline.tickets.actions.base import lock_ticket
from helpline.tickets.events import PersonRef, Ref
from helpline.tickets.models import Attachment, Ticket
from helpline.tickets.policy import require

audit = logging.getLogger("helpline.audit")
logger = logging.getLogger(__name__)


def delete_ticket(*, actor: Actor, ticket: Ticket) -> str:
    """Delete the ticket with its thread entries, collaborators and attachments (the delete permission),
    and the tickets merged into it, whose conversation it holds.

    The rows go in one transaction, with the audit record of who deleted which ticket (number, subject,
    requester, department); the attachment files are removed from storage only after it commits, so a
    rollback leaves every file in place. The people involved are kept. Returns the number of the deleted
    ticket. Raises NotAllowed."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.DELETE, ticket)
        attachments = list(Attachment.objects.filter(entry__ticket=ticket).only("file"))
        files = [(a.file.storage, a.file.name) for a in attachments if a.file.name]
        number, subject = ticket.number, ticket.subject
        record(
            actor=actor,
            action="ticket.deleted",
            target_type="ticket",
            target_id=number,
            target_repr=f"#{number} {subject}",
            data={
                "ticket_id": ticket.pk,
                "number": number,
                "subject": subject,
                "requester": PersonRef.of(ticket.requester).model_dump(),
                "department": Ref.of(ticket.department).model_dump(),
                "created_at": ticket.created_at.isoformat(),
                "state": ticket.state,
                "entries": ticket.entries.count(),
                "attachments": len(attachments),
                # The tickets merged into this one go with it (their conversation was here).
                "merged": list(ticket.merged_tickets.order_by("pk").values_list("number", flat=True)),
            },
        )
        ticket.delete()
        who = actor.actor_ref()
        transaction.on_commit(
            lambda: _after_commit(number, subject, f"{who.kind} {who.name} (id {who.id})", files)
        )
    return number


def _after_commit(number: str, subject: str, who: str, files: list[tuple[Storage, str]]) -> None:
    """Logged once the deletion is certain; a rolled-back one is not on the record."""
    audit.info("Ticket #%s %r deleted by %s", number, subject, who)
    # The rows are gone already: a file that cannot be removed (whatever the storage backend raises) is
    # logged for cleaning up by hand, and the others are still removed.
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not remove the attachment file %s", name)

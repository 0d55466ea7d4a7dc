"""Deleting a ticket for good: its rows in one transaction, its files once that has committed."""

import logging

from django.core.files.storage import Storage
from django.db import transaction

from helpline.people.actors import Actor
from helpline.people.models import Agent, Requester
from helpline.people.permissions import Perm
from helpline.tickets.actions.base import lock_ticket
from helpline.tickets.models import Attachment, Ticket
from helpline.tickets.policy import require

audit = logging.getLogger("helpline.audit")
logger = logging.getLogger(__name__)


def delete_ticket(*, actor: Actor, ticket: Ticket) -> str:
    """Delete the ticket with its thread entries, collaborators and attachments (the delete permission).

    The rows go in one transaction; the attachment files are removed from storage only after it
    commits, so a rollback leaves every file in place. The people involved are kept. Returns the
    number of the deleted ticket. Raises NotAllowed."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.DELETE, ticket)
        files = [
            (attachment.file.storage, attachment.file.name)
            for attachment in Attachment.objects.filter(entry__ticket=ticket).only("file")
            if attachment.file.name
        ]
        number, subject, who = ticket.number, ticket.subject, _who(actor)
        ticket.delete()
        transaction.on_commit(lambda: _after_commit(number, subject, who, files))
    return number


def _who(actor: Actor) -> str:
    if isinstance(actor, Agent):
        return f"agent {actor.user.get_username()} (id {actor.pk})"
    if isinstance(actor, Requester):
        return f"requester {actor.email} (id {actor.pk})"
    return str(actor)


def _after_commit(number: str, subject: str, who: str, files: list[tuple[Storage, str]]) -> None:
    """Logged once the deletion is certain; a rolled-back one is not on the audit record."""
    audit.info("Ticket #%s %r deleted by %s", number, subject, who)
    # The rows are gone already: a file that cannot be removed (whatever the storage backend raises) is
    # logged for cleaning up by hand, and the others are still removed.
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not remove the attachment file %s", name)

"""Collaborators: other requesters copied on a ticket, who see its public thread and may post messages."""

from django.db import transaction
from django.utils import timezone

from helpline.people.actors import Actor
from helpline.people.models import Requester
from helpline.people.permissions import Perm
from helpline.people.requesters import Contact, find_or_create_requester
from helpline.tickets.actions.base import lock_ticket, record_event, touch
from helpline.tickets.conflicts import Change, require_current
from helpline.tickets.events import CollaboratorAdded, CollaboratorRemoved, PersonRef
from helpline.tickets.models import Collaborator, Ticket
from helpline.tickets.policy import require


def add_collaborator(
    *,
    actor: Actor,
    ticket: Ticket,
    person: Requester | Contact,
    expected_version: int | None = None,
    seen_entry_id: int | None = None,
) -> tuple[Requester, bool]:
    """Copy a requester on the ticket (the edit permission); a ``Contact`` is found or created as a
    requester in the same transaction, so a refusal leaves no new requester behind. From then on they get the
    emails sent to the requester, each with their own access link. Returns the requester and whether they
    were added (False, changing nothing, when they already are a collaborator). Raises NotAllowed,
    ValidationError for a contact's bad address, or ValueError for the ticket's own requester."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.EDIT, ticket)
        require_current(
            ticket, [Change.COLLABORATORS], expected_version=expected_version, seen_entry_id=seen_entry_id
        )
        requester = find_or_create_requester(person) if isinstance(person, Contact) else person
        if ticket.requester_id == requester.pk:
            raise ValueError(f"{requester.name} is the requester of this ticket, not a collaborator.")
        if Collaborator.objects.filter(ticket=ticket, requester=requester).exists():
            return requester, False
        Collaborator.objects.create(ticket=ticket, requester=requester)
        now = timezone.now()
        touch(ticket, now)
        record_event(ticket, actor, CollaboratorAdded(requester=PersonRef.of(requester)), now)
    return requester, True


def remove_collaborator(
    *,
    actor: Actor,
    ticket: Ticket,
    requester: Requester,
    expected_version: int | None = None,
    seen_entry_id: int | None = None,
) -> bool:
    """Stop copying ``requester`` on the ticket (the edit permission); their access links stop working.
    Returns False, changing nothing, when they are not a collaborator. Raises NotAllowed."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.EDIT, ticket)
        require_current(
            ticket, [Change.COLLABORATORS], expected_version=expected_version, seen_entry_id=seen_entry_id
        )
        removed, _ = Collaborator.objects.filter(ticket=ticket, requester=requester).delete()
        if not removed:
            return False
        now = timezone.now()
        touch(ticket, now)
        record_event(ticket, actor, CollaboratorRemoved(requester=PersonRef.of(requester)), now)
    return True

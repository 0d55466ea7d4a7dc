"""Collaborators: other requesters copied on a ticket, who see its public thread and may post messages."""

from django.db import transaction
from django.utils import timezone

from helpline.people.actors import Actor
from helpline.people.models import Requester
from helpline.people.permissions import Perm
from helpline.tickets.actions.base import lock_ticket, record_event, touch
from helpline.tickets.models import Collaborator, Event, Ticket
from helpline.tickets.policy import require


def add_collaborator(*, actor: Actor, ticket: Ticket, requester: Requester) -> bool:
    """Copy ``requester`` on the ticket (the edit permission). From then on they get the emails sent to
    the requester, each with their own access link. Returns False, changing nothing, when they already
    are a collaborator. Raises NotAllowed, or ValueError for the ticket's own requester."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.EDIT, ticket)
        if ticket.requester_id == requester.pk:
            raise ValueError(f"{requester.name} is the requester of this ticket, not a collaborator.")
        if Collaborator.objects.filter(ticket=ticket, requester=requester).exists():
            return False
        Collaborator.objects.create(ticket=ticket, requester=requester)
        now = timezone.now()
        touch(ticket, now)
        record_event(ticket, actor, Event.COLLABORATOR, now, added=str(requester))
    return True


def remove_collaborator(*, actor: Actor, ticket: Ticket, requester: Requester) -> bool:
    """Stop copying ``requester`` on the ticket (the edit permission); their access links stop working.
    Returns False, changing nothing, when they are not a collaborator. Raises NotAllowed."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.EDIT, ticket)
        removed, _ = Collaborator.objects.filter(ticket=ticket, requester=requester).delete()
        if not removed:
            return False
        now = timezone.now()
        touch(ticket, now)
        record_event(ticket, actor, Event.COLLABORATOR, now, removed=str(requester))
    return True

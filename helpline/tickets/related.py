"""What the ticket page shows beside a ticket: the requester's other tickets, within what the actor may see."""

from django.db.models import QuerySet

from helpline.people.actors import Actor
from helpline.tickets.models import Ticket
from helpline.tickets.queries import visible_tickets

OTHER_TICKETS_SHOWN = 5


def requester_other_tickets(actor: Actor, ticket: Ticket, limit: int = OTHER_TICKETS_SHOWN) -> list[Ticket]:
    """The requester's latest other tickets the actor may see, newest first, with their status; one
    query, read in the ``ticket_requester_created`` index's order. One more than ``limit`` is read, so
    the caller knows whether there are more ("see all")."""
    others: QuerySet[Ticket] = (
        visible_tickets(actor)
        .filter(requester_id=ticket.requester_id)
        .exclude(pk=ticket.pk)
        .select_related("status")
        .only("number", "subject", "state", "created_at", "status__name")
        .order_by("-created_at", "-id")
    )
    return list(others[: limit + 1])

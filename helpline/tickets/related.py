"""What the ticket page shows beside a ticket: the requester's other tickets, within what the actor may see."""

from django.db.models import QuerySet

from helpline.people.actors import Actor
from helpline.people.models import Agent
from helpline.tickets.models import ThreadEntry, Ticket
from helpline.tickets.models.thread import PUBLIC_KINDS
from helpline.tickets.policy import reads_internal
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
        .order_by("-created_at")  # the index's order: no sort
    )
    return list(others[: limit + 1])


# How many new entries the ticket page's poll reads at most: enough to say "10+ new entries".
NEW_ENTRIES_READ = 10


def entries_since(actor: Actor, ticket: Ticket, after: int) -> list[ThreadEntry]:
    """Entries of the ticket the actor may read, newer than the entry ``after`` (by id, which grows as
    entries are written) and written by someone else, oldest first, at most NEW_ENTRIES_READ: one query
    on the ``entry_ticket_created`` index's ticket range."""
    entries = ThreadEntry.objects.filter(ticket=ticket, pk__gt=after)
    if not reads_internal(actor):
        entries = entries.filter(kind__in=PUBLIC_KINDS)  # the rule of ``thread_for``
    agent_id = actor.pk if isinstance(actor, Agent) else None
    if agent_id is not None:
        entries = entries.exclude(author_agent_id=agent_id)
    return list(entries.order_by("pk").only("pk", "author_name", "kind")[:NEW_ENTRIES_READ])

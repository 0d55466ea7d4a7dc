"""The blocks of an agent's dashboard: each a bounded list read in one query, in the order of an index
(``ticket_assignee_state_due``, ``ticket_assignee_state_message``, ``ticket_assignee_updated``,
``ticket_state_due``), within what the agent may see."""

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from helpline.catalog.models import State
from helpline.people.models import Agent
from helpline.tickets.models import ThreadEntry, Ticket
from helpline.tickets.queries import overdue_tickets, visible_tickets

DASHBOARD_ROWS = 10
ROW_RELATIONS = ("requester", "status", "priority")


def _bounded(tickets: QuerySet[Ticket], limit: int) -> list[Ticket]:
    """One more than ``limit``, so a block knows whether to offer "see all"."""
    return list(tickets.select_related(*ROW_RELATIONS)[: limit + 1])


def my_open_tickets(agent: Agent, limit: int = DASHBOARD_ROWS) -> list[Ticket]:
    """Open tickets assigned to the agent, the soonest due first (those with no due time last)."""
    tickets = visible_tickets(agent).filter(assignee=agent, state=State.OPEN)
    return _bounded(tickets.order_by(F("due_at").asc(nulls_last=True), "id"), limit)


def overdue_for(agent: Agent, limit: int = DASHBOARD_ROWS) -> list[Ticket]:
    """Overdue tickets the agent may see (theirs, their teams' and their departments'), the most overdue
    first."""
    return _bounded(overdue_tickets(visible_tickets(agent)).order_by("due_at", "id"), limit)


def awaiting_reply(agent: Agent, limit: int = DASHBOARD_ROWS) -> list[Ticket]:
    """Open tickets assigned to the agent whose last message (the requester's or a collaborator's) came
    after the last response, or that were never answered: the longest waiting first."""
    tickets = (
        visible_tickets(agent)
        .filter(assignee=agent, state=State.OPEN, last_message_at__isnull=False)
        .filter(Q(last_response_at__isnull=True) | Q(last_message_at__gt=F("last_response_at")))
    )
    return _bounded(tickets.order_by("last_message_at", "id"), limit)


def recent_activity(agent: Agent, limit: int = DASHBOARD_ROWS) -> list[Ticket]:
    """The agent's tickets (in any state) changed most recently, each with its latest entry's author,
    kind and time (``last_author``, ``last_kind``, ``last_at``), read by index from its thread."""
    latest = ThreadEntry.objects.filter(ticket=OuterRef("pk")).order_by("-created_at", "-id")
    tickets = (
        visible_tickets(agent)
        .filter(assignee=agent)
        .annotate(
            last_author=Subquery(latest.values("author_name")[:1]),
            last_kind=Subquery(latest.values("kind")[:1]),
            last_event=Subquery(latest.values("event")[:1]),
            last_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("-updated_at", "-id")
    )
    return _bounded(tickets, limit)

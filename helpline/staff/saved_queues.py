"""Saved queues as lists of tickets: what each holds for the agent looking at it, and counting them."""

from django.db.models import QuerySet

from helpline.core.counting import bounded_counts
from helpline.core.prepared import PreparedQuery
from helpline.people.models import Agent
from helpline.staff.filters import TicketFilters
from helpline.staff.models import NAV_LIMIT, SavedQueue
from helpline.tickets.models import Ticket
from helpline.tickets.queries import COUNT_CAP, QUEUES, queue_tickets
from helpline.tickets.search import search_tickets

SEARCH = "search"
BASES = {**QUEUES, SEARCH: "Search"}


def base_tickets(agent: Agent, base: str, words: str) -> QuerySet[Ticket]:
    """The list a saved queue starts from, within what ``agent`` may see: a built-in queue, or the
    tickets the search words find. An unknown base (a queue since removed) holds nothing."""
    if base == SEARCH:
        return search_tickets(agent, words)
    if base in QUEUES:
        return queue_tickets(agent, base)
    return Ticket.objects.none()


def saved_tickets(saved: SavedQueue, agent: Agent) -> QuerySet[Ticket]:
    """The tickets of ``saved`` that ``agent`` may see (no query is run here). "Me" in its filters is
    ``agent``, so a shared queue of "my tickets" is each agent's own."""
    filters = TicketFilters.from_json(saved.filters)
    return filters.apply(base_tickets(agent, saved.base, saved.words), agent)


def can_manage(agent: Agent, saved: SavedQueue) -> bool:
    """Agents rename and delete their own queues; administrators the shared ones."""
    if saved.is_shared:
        return agent.is_administrator
    return saved.owner_id == agent.pk


# Every staff page's navigation: compiled once (core.prepared).
_NAVIGATION = PreparedQuery(lambda agent_id: SavedQueue.objects.for_agent_id(agent_id)[: NAV_LIMIT + 1])


def navigation(agent: Agent) -> tuple[list[tuple[SavedQueue, int]], bool]:
    """The first NAV_LIMIT saved queues ``agent`` sees, each with its count up to COUNT_CAP + 1, and
    whether there are more: two queries, however many queues there are."""
    queues = _NAVIGATION.objects(agent.pk)
    more = len(queues) > NAV_LIMIT
    queues = queues[:NAV_LIMIT]
    counts = bounded_counts([saved_tickets(saved, agent) for saved in queues], COUNT_CAP)
    return list(zip(queues, counts, strict=True)), more

"""What an actor may see: the one visibility query, and the queues built on it."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from helpline.catalog.models import State
from helpline.custom_fields.models import Field
from helpline.custom_fields.values import Value, read, shown
from helpline.people.access import team_ids
from helpline.people.actors import Actor
from helpline.people.models import Agent
from helpline.tickets.models import FieldValue, Mention, ThreadEntry, Ticket
from helpline.tickets.models.thread import PUBLIC_KINDS
from helpline.tickets.policy import reads_internal, visibility


def visible_tickets(actor: Actor) -> QuerySet[Ticket]:
    """Tickets the actor may see (the policy's rule for its kind): agents their departments' tickets and
    those assigned to them or their teams, administrators all; requesters the ones they opened or are copied
    on; a channel those of the departments it may view in."""
    return Ticket.objects.filter(visibility(actor))


QUEUES = {
    "open": "Open",
    "pending": "Pending",
    "mine": "My tickets",
    "unassigned": "Unassigned",
    "overdue": "Overdue",
    "resolved": "Resolved",
    "closed": "Closed",
    "mentioned": "Mentioned",
}


# "My tickets": the unfinished tickets assigned to the agent or to one of their teams.
MINE_STATES = (State.OPEN, State.PENDING)


def queue_tickets(agent: Agent, queue: str) -> QuerySet[Ticket]:
    """The tickets of one staff queue, within what the agent may see. Unknown queue names raise KeyError.
    A ticket merged into another is in none: its conversation is in the other."""
    tickets = visible_tickets(agent).filter(merged_into__isnull=True)
    if queue == "open":
        return tickets.filter(state=State.OPEN)
    if queue == "pending":
        return tickets.filter(state=State.PENDING)
    if queue == "mine":
        return tickets.filter(state__in=MINE_STATES).filter(
            Q(assignee=agent) | Q(team_id__in=team_ids(agent))
        )
    if queue == "unassigned":
        return tickets.filter(state=State.OPEN, assignee__isnull=True, team__isnull=True)
    if queue == "overdue":
        return overdue_tickets(tickets)
    # One state per queue (not "resolved or closed"): each queue is then one range of a (state, sort column)
    # index, in the order the page shows it.
    if queue == "resolved":
        return tickets.filter(state=State.RESOLVED)
    if queue == "closed":
        return tickets.filter(state=State.CLOSED)
    if queue == "mentioned":
        return mentioned_tickets(agent, tickets)
    raise KeyError(queue)


# Past this many teams "My tickets" is read as one query: a branch a team and state would be too many.
MAX_BRANCH_TEAMS = 8


def queue_branches(agent: Agent, queue: str) -> list[Q]:
    """What a page of the queue may be read in (``core.pagination.keyset_page``'s branches): for "My
    tickets", the agent's own and each of their teams', a state at a time, each one range of the
    (assignee or team, state, sort) indexes. As one query the OR of assignee and team has no index in
    the page's order, and at a million tickets SQLite walked the whole table's updated_at index for it
    (55 ms, against 4 ms in branches); the branches' work grows with the page, not the table. No branches
    (one query) for the other queues, whose filter is one range already."""
    if queue != "mine":
        return []
    teams = sorted(team_ids(agent))
    if len(teams) > MAX_BRANCH_TEAMS:
        return []
    # The parts of queue_tickets' "mine" filter, each alone.
    return [
        Q(state=state) & who
        for state in MINE_STATES
        for who in [Q(assignee=agent), *(Q(team_id=team) for team in teams)]
    ]


def mentioned_tickets(agent: Agent, tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Unfinished tickets an internal note mentions the agent in: read from the agent's mentions (an index
    on (agent, ticket)), a set as small as the agent's mentions, whatever the number of tickets."""
    mentioned = Mention.objects.filter(agent=agent).values("ticket_id")
    return tickets.filter(state__in=[State.OPEN, State.PENDING], pk__in=mentioned)


def overdue_tickets(tickets: QuerySet[Ticket] | None = None) -> QuerySet[Ticket]:
    """Open tickets past their due time (the SLA clock does not run while a ticket is pending)."""
    tickets = Ticket.objects.all() if tickets is None else tickets
    return tickets.filter(state=State.OPEN, due_at__lt=timezone.now())


# Counting stops here: an exact count of a million closed tickets costs a full index scan on every page
# view, while "1000+" tells an agent all they need. Each count is then bounded work.
COUNT_CAP = 1000


def queue_counts(agent: Agent) -> dict[str, int]:
    """Tickets per queue, counted up to COUNT_CAP + 1 (more than COUNT_CAP means "COUNT_CAP or more").

    Tried and measured at a million tickets (a department agent, every queue past the cap): these eight
    queries took 40 ms; the eight counts as one query of subqueries 51 ms; each part of the visibility's OR
    (department, assignee, team) counted on its own index and the union of the ids counted, 110 ms."""
    return {name: queue_tickets(agent, name).order_by()[: COUNT_CAP + 1].count() for name in QUEUES}


def thread_for(actor: Actor, ticket: Ticket) -> QuerySet[ThreadEntry]:
    """The entries the actor may read, with authors and attachments loaded in a fixed number of queries."""
    entries = ticket.entries.select_related("author_agent__user", "author_requester").prefetch_related(
        "attachments"
    )
    if not reads_internal(actor):
        return entries.filter(kind__in=PUBLIC_KINDS)
    return entries


def sla_checks_due(now: datetime | None = None) -> "QuerySet[Ticket, int]":
    """Ids of the tickets whose next SLA check has come, the earliest first (the partial index
    ``ticket_sla_check`` serves it)."""
    now = now or timezone.now()
    return (
        Ticket.objects.filter(next_sla_check_at__isnull=False, next_sla_check_at__lte=now)
        .order_by("next_sla_check_at")
        .values_list("pk", flat=True)
    )


def shown_field_values(ticket: Ticket, *, internal: bool) -> list[tuple[Field, str]]:
    """The ticket's custom field values as its page shows them, in their forms' order (one query).
    ``internal``: with the fields only agents see."""
    rows = FieldValue.objects.filter(ticket=ticket).select_related("field__choice_list")
    if not internal:
        rows = rows.filter(field__is_public=True)
    ordered = rows.order_by("field__form_id", "field__sort", "field_id")
    return [(row.field, shown(row.field, read(row.field, row))) for row in ordered]


def field_values_of(ticket: Ticket, fields: list[Field]) -> dict[Field, Value | None]:
    """The ticket's values of ``fields`` as the fields' forms take them (None where it has none): one
    query."""
    rows = {row.field_id: row for row in FieldValue.objects.filter(ticket=ticket, field__in=fields)}
    return {field: read(field, rows[field.pk]) if field.pk in rows else None for field in fields}

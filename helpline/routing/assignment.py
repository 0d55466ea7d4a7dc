"""Automatic assignment: which agent of a department or team gets a new ticket that arrives with nobody.

Three layers, each usable alone:

- ``choose_assignee``: the decision, pure. Given the strategy, the candidates and where the turn order
  stands, it names the agent (by id) or nobody.
- ``assignment_candidates``: the candidates of a department or team, built from ``people``: who they are,
  whether they are available today, and their open tickets, which the ticket domain counts and passes in.
- ``next_assignee``: both, under the pool's row lock, moving the turn order on: what the ticket actions call
  while they open a ticket.

Rules and tie-breaks (deterministic, so the same inputs always name the same agent):

- Only eligible candidates are chosen: available today (active, not marked away, not on vacation) and
  below their open-ticket limit, if they have one (an agent at or over it is skipped).
- The turn order is by agent id, ascending, starting after the agent chosen last and wrapping around; with
  no one chosen yet it starts at the lowest id. An id, not a name, so a rename or a new colleague never
  reshuffles it: a new agent takes their place in the circle.
- Round-robin: the first eligible agent in the turn order.
- Least open tickets: the eligible agent with the fewest open tickets; among equals, the first in the turn
  order. So equal loads are served in turn (with the lowest id always first, an agent would get every
  ticket while the desk keeps up and everyone's count stays at zero).
- Manual only: nobody.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from helpline.people.access import agents_working_in
from helpline.people.models import Agent, AssignmentStrategy, Department, Membership, Role, Team
from helpline.people.permissions import Perm

# What the ticket domain passes in: open (unfinished) tickets assigned to each agent, by agent id.
OpenCounts = Mapping[int, int]


@dataclass(frozen=True)
class Candidate:
    """An agent who could be given the ticket, as the choice sees them."""

    agent_id: int
    available: bool  # active, not away, not on vacation today
    open_tickets: int
    limit: int | None = None  # the most open tickets they take automatically; None: no limit

    @property
    def eligible(self) -> bool:
        return self.available and (self.limit is None or self.open_tickets < self.limit)


def turn_order(candidates: Iterable[Candidate], last_agent_id: int | None) -> list[Candidate]:
    """The candidates by agent id, starting after ``last_agent_id`` and wrapping around."""
    ordered = sorted(candidates, key=lambda candidate: candidate.agent_id)
    if last_agent_id is None:
        return ordered
    after = [candidate for candidate in ordered if candidate.agent_id > last_agent_id]
    return after + [candidate for candidate in ordered if candidate.agent_id <= last_agent_id]


def choose_assignee(
    strategy: str, candidates: Iterable[Candidate], last_agent_id: int | None = None
) -> int | None:
    """The id of the agent to assign, or None (manual only, or nobody eligible). ``last_agent_id``: the
    agent the last automatic assignment of this pool chose (the round-robin position). Pure: reads nothing,
    changes nothing. Raises ValueError for an unknown strategy."""
    if strategy not in AssignmentStrategy.values:
        raise ValueError(f"Unknown assignment strategy {strategy!r}")
    if strategy == AssignmentStrategy.MANUAL:
        return None
    eligible = [candidate for candidate in turn_order(candidates, last_agent_id) if candidate.eligible]
    if not eligible:
        return None
    if strategy == AssignmentStrategy.ROUND_ROBIN:
        return eligible[0].agent_id
    # Least open tickets: min() keeps the first of equals, which is the next in turn.
    return min(eligible, key=lambda candidate: candidate.open_tickets).agent_id


# The candidates, from people -------------------------------------------------------------------------------


def pool_agents(department: Department, team: Team | None = None) -> QuerySet[Agent]:
    """The agents a pool hands tickets to, active ones only. A department's: its members whose role lets
    them see its tickets (not administrators or a manager who are not members: they work everywhere, or
    answer for the department, without being in its rotation). A team's: its members who work in the
    ticket's ``department`` (tickets go only to agents who work their department)."""
    if team is not None:
        if not team.is_active:
            return Agent.objects.none()
        return agents_working_in(department).filter(teams=team)
    view_roles = [role.pk for role in Role.objects.all() if Perm.VIEW in role.grants()]
    members = Membership.objects.filter(department=department, role__in=view_roles).values("agent_id")
    return Agent.objects.filter(pk__in=members, user__is_active=True).select_related("user")


def candidates_from(agents: Iterable[Agent], open_counts: OpenCounts, today: date) -> list[Candidate]:
    """Candidates for these agents; an agent missing from ``open_counts`` has no open tickets."""
    return [
        Candidate(
            agent_id=agent.pk,
            available=agent.available_on(today),
            open_tickets=open_counts.get(agent.pk, 0),
            limit=agent.open_ticket_limit,
        )
        for agent in agents
    ]


def assignment_candidates(
    department: Department,
    team: Team | None = None,
    *,
    open_counts: OpenCounts,
    today: date | None = None,
) -> list[Candidate]:
    """The candidates of the team (when given) or else the department, for a ticket of ``department``, as
    they stand on ``today`` (default: today in the desk's time zone)."""
    return candidates_from(pool_agents(department, team), open_counts, today or timezone.localdate())


# The choice, applied ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AutoAssignment:
    """Whom ``next_assignee`` chose, and on whose behalf: the pool and its strategy, for the record."""

    agent: Agent
    pool: Department | Team
    strategy: AssignmentStrategy


def deciding_pool(department: Department, team: Team | None) -> Department | Team:
    """A ticket that goes to a team is the team's to hand out (with its strategy, manual or not); any other
    ticket is its department's."""
    return team if team is not None else department


def next_assignee(
    *,
    department: Department,
    team: Team | None = None,
    count_open: Callable[[Sequence[int]], OpenCounts],
    today: date | None = None,
) -> AutoAssignment | None:
    """Choose the agent for a new ticket of ``department`` (going to ``team``, if any) and move the pool's
    turn order on; None when the pool assigns manually or nobody is eligible.

    ``count_open`` returns the open tickets of the agents whose ids it is given (the ticket domain counts
    its own tickets). It is called after the pool's row is locked, so call ``next_assignee`` inside the
    transaction that then saves the ticket with its assignee: a second opening in the same pool waits for
    that commit and counts that ticket, and never takes the same turn (on SQLite the transaction itself
    serializes writers)."""
    pool = deciding_pool(department, team)
    if pool.assignment_strategy == AssignmentStrategy.MANUAL:
        return (
            None  # the common case needs no lock (a strategy changed meanwhile applies from the next ticket)
        )
    model = Team if isinstance(pool, Team) else Department
    with transaction.atomic():
        locked: Department | Team = model.objects.select_for_update().get(pk=pool.pk)
        strategy = AssignmentStrategy(locked.assignment_strategy)
        if strategy == AssignmentStrategy.MANUAL:
            return None
        agents = {agent.pk: agent for agent in pool_agents(department, team)}
        open_counts = count_open(list(agents)) if _needs_counts(strategy, agents.values()) else {}
        candidates = candidates_from(agents.values(), open_counts, today or timezone.localdate())
        chosen = choose_assignee(strategy, candidates, locked.last_assigned_id)
        if chosen is None:
            return None
        model.objects.filter(pk=pool.pk).update(last_assigned_id=chosen)
    return AutoAssignment(agent=agents[chosen], pool=locked, strategy=strategy)


def _needs_counts(strategy: AssignmentStrategy, agents: Iterable[Agent]) -> bool:
    # Round-robin reads the counts only to keep agents at their limit out; without limits, no query.
    return strategy == AssignmentStrategy.LEAST_OPEN or any(
        agent.open_ticket_limit is not None for agent in agents
    )

"""Who works the ticket: assignment to an agent and/or team, transfer between departments."""

from django.db import transaction
from django.utils import timezone

from helpline.people.actors import Actor
from helpline.people.models import Agent, Department, Team
from helpline.people.permissions import Perm
from helpline.tickets.actions.base import lock_ticket, notify, record_event, touch
from helpline.tickets.actions.following import start_following
from helpline.tickets.conflicts import Change, require_current
from helpline.tickets.events import Assigned, Ref, Transferred, Unassigned
from helpline.tickets.models import Ticket
from helpline.tickets.notifications import Owed
from helpline.tickets.policy import NotAllowed, require, require_assignable


def assign_ticket(
    *,
    actor: Actor,
    ticket: Ticket,
    agent: Agent | None = None,
    team: Team | None = None,
    expected_version: int | None = None,
    seen_entry_id: int | None = None,
) -> Ticket:
    """Assign to an agent and/or a team; both None unassigns. The agent must work in the ticket's
    department (see ``policy.require_assignable``). The new assignee is alerted; an agent who hands the
    ticket to a team follows it. Raises NotAllowed, or ChangedMeanwhile when made against an older version
    and the assignment or the department changed since (``tickets.conflicts``)."""
    if agent is not None and not agent.is_active:
        raise NotAllowed(f"{agent} is not an active agent.")
    if team is not None and not team.is_active:
        raise NotAllowed(f"Team {team} is not active.")
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.ASSIGN, ticket)
        require_current(
            ticket, [Change.ASSIGNMENT], expected_version=expected_version, seen_entry_id=seen_entry_id
        )
        return apply_assignment(ticket, actor, agent=agent, team=team)


def apply_assignment(ticket: Ticket, actor: Actor, *, agent: Agent | None, team: Team | None) -> Ticket:
    """Write an assignment the actor's permission to make was checked for: on the ``ticket`` locked by the
    caller's transaction. The agent must work in the ticket's department (``policy.require_assignable``).
    Records the event and alerts the new assignee; an assignment that changes nothing records nothing."""
    if ticket.assignee_id == (agent and agent.pk) and ticket.team_id == (team and team.pk):
        return ticket
    if agent is not None and agent.pk != ticket.assignee_id:
        require_assignable(agent, ticket)
    previous_agent, previous_team = Ref.maybe(ticket.assignee), Ref.maybe(ticket.team)
    ticket.assignee, ticket.team = agent, team
    now = timezone.now()
    touch(ticket, now, "assignee", "team")
    if agent is None and team is None:
        record_event(
            ticket, actor, Unassigned(previous_agent=previous_agent, previous_team=previous_team), now
        )
        return ticket
    assigned = Assigned(
        agent=Ref.maybe(agent),
        team=Ref.maybe(team),
        previous_agent=previous_agent,
        previous_team=previous_team,
    )
    event = record_event(ticket, actor, assigned, now)
    notify(ticket, actor, Owed("assigned", entry=event))
    if team is not None and previous_team != assigned.team:
        start_following(ticket, actor, now)  # who hands a ticket to a team hears how it goes on
    return ticket


def transfer_ticket(
    *,
    actor: Actor,
    ticket: Ticket,
    department: Department,
    expected_version: int | None = None,
    seen_entry_id: int | None = None,
) -> Ticket:
    """Move the ticket to another department. The assignment is kept; the new department is alerted. An
    agent who transfers a ticket that is with a team follows it. Raises NotAllowed, or ChangedMeanwhile
    when made against an older version and it was transferred since."""
    if not department.is_active:
        raise NotAllowed(f"Department {department} is not active.")
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.TRANSFER, ticket)
        require_current(
            ticket, [Change.TRANSFER], expected_version=expected_version, seen_entry_id=seen_entry_id
        )
        if ticket.department_id == department.pk:
            return ticket
        previous = ticket.department
        ticket.department = department
        now = timezone.now()
        touch(ticket, now, "department")
        event = record_event(
            ticket, actor, Transferred(department=Ref.of(department), previous=Ref.of(previous)), now
        )
        notify(ticket, actor, Owed("transferred", entry=event))
        if ticket.team_id is not None:
            start_following(ticket, actor, now)
    return ticket

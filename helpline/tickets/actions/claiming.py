"""Claiming: an agent takes an unassigned ticket in one click."""

from django.db import transaction

from helpline.people.models import Agent
from helpline.tickets.actions.assignment import apply_assignment
from helpline.tickets.actions.base import lock_ticket
from helpline.tickets.conflicts import Change, require_current
from helpline.tickets.models import Ticket
from helpline.tickets.policy import require_claim


def claim_ticket(
    *, actor: Agent, ticket: Ticket, expected_version: int | None = None, seen_entry_id: int | None = None
) -> Ticket:
    """Assign the ticket to ``actor``, who takes it (``policy.can_claim``: an unfinished ticket no agent has,
    in a department where the actor's role grants "Take unassigned tickets"). A team that holds it keeps it.
    The thread reads "<actor> took this ticket". Checked on the locked row, so of two agents taking the
    ticket at once one gets it and the other is told it is taken. Raises NotClaimable (taken, finished,
    another team's) or NotAllowed (no right to take it); with a version, ChangedMeanwhile first when the
    assignment changed since (even back to nobody: the agent should see who had it)."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require_current(
            ticket, [Change.ASSIGNMENT], expected_version=expected_version, seen_entry_id=seen_entry_id
        )
        require_claim(actor, ticket)
        return apply_assignment(ticket, actor, agent=actor, team=ticket.team)

"""Who may do what to a ticket. Every action asks here; nothing else decides."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import pluralize

from helpline.catalog.models import ACTIVE_STATES, FINISHED_STATES
from helpline.people.access import department_perms, departments_with, team_ids
from helpline.people.actors import Actor, SystemActor
from helpline.people.models import Agent, Department, Requester
from helpline.people.permissions import ALL_PERMS, ASSIGNEE_PERMS, Perm
from helpline.tickets.models import Ticket


class NotAllowed(PermissionDenied):
    """The actor may not do this. Views answer it with 403; other doors report it their own way."""


class TooManyOpenTickets(NotAllowed):
    """The requester already has as many unfinished tickets as one person may (a flood guard)."""


def agent_perms(agent: Agent, ticket: Ticket) -> frozenset[str]:
    if not agent.is_active:
        return frozenset()
    if agent.is_administrator:
        return ALL_PERMS
    perms = set(department_perms(agent).get(ticket.department_id, ()))
    if ticket.assignee_id == agent.pk or (ticket.team_id is not None and ticket.team_id in team_ids(agent)):
        perms |= ASSIGNEE_PERMS
    return frozenset(perms)


def is_participant(requester: Requester, ticket: Ticket) -> bool:
    if ticket.requester_id == requester.pk:
        return True
    return ticket.collaborator_set.filter(requester=requester).exists()


def requester_perms(requester: Requester, ticket: Ticket) -> frozenset[str]:
    if ticket.requester_id == requester.pk:
        return frozenset({Perm.VIEW, Perm.REPLY, Perm.CLOSE})
    if is_participant(requester, ticket):
        return frozenset({Perm.VIEW, Perm.REPLY})
    return frozenset()


def can(actor: Actor, perm: str, ticket: Ticket) -> bool:
    if isinstance(actor, SystemActor):
        return True
    if isinstance(actor, Agent):
        return perm in agent_perms(actor, ticket)
    if isinstance(actor, Requester):
        return perm in requester_perms(actor, ticket)
    return False


def require(actor: Actor, perm: str, ticket: Ticket) -> None:
    if not can(actor, perm, ticket):
        raise NotAllowed(f"{actor} may not {Perm(perm).label.lower()} on ticket #{ticket.number}.")


def perm_for_status(state: str) -> Perm:
    """Resolving and closing take the close permission; any other status the status permission."""
    return Perm.CLOSE if state in FINISHED_STATES else Perm.STATUS


def can_open_in(actor: Actor, department: Department) -> bool:
    """May this actor open a ticket routed to ``department``? (Requesters: through a public topic.)"""
    if isinstance(actor, SystemActor | Requester):
        return department.is_active
    if isinstance(actor, Agent) and actor.is_active:
        return actor.is_administrator or department.pk in departments_with(actor, Perm.CREATE)
    return False


def require_room_for_another_ticket(requester: Requester) -> None:
    """Requesters may have HELPLINE_MAX_OPEN_TICKETS open or pending tickets at once (0: no limit), so one
    address, or a script using it, cannot flood the queues. Agents opening tickets for them are not limited."""
    limit = settings.HELPLINE_MAX_OPEN_TICKETS
    if not limit:
        return
    unfinished = requester.tickets.filter(state__in=ACTIVE_STATES).order_by()[:limit].count()
    if unfinished >= limit:
        raise TooManyOpenTickets(
            f"You already have {unfinished} open ticket{pluralize(unfinished)}. Please reply on one of them (the links are in the "
            "emails we sent) instead of opening another."
        )

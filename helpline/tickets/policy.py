"""Who may see and do what to a ticket. Every action and every query asks here; nothing else decides.

The rules are written once per kind of actor, in ``actor_rules`` (``RULES``); this module is what the
actions and queries call.
"""

from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.defaultfilters import pluralize

from helpline.catalog.models import ACTIVE_STATES, State
from helpline.people.access import team_ids, works_in
from helpline.people.actors import Actor, ActorKind
from helpline.people.models import Agent, Department, Requester
from helpline.people.permissions import Perm
from helpline.routing.models import HelpTopic
from helpline.tickets.actor_rules import is_participant as is_participant  # asked of the policy too
from helpline.tickets.actor_rules import perm_for_status as perm_for_status
from helpline.tickets.actor_rules import rules_for
from helpline.tickets.merged import final_ticket
from helpline.tickets.models import EntryKind, Ticket


class NotAllowed(PermissionDenied):
    """The actor may not do this. Views answer it with 403; other doors report it their own way."""


class TooManyOpenTickets(NotAllowed):
    """The requester already has as many unfinished tickets as one person may (a flood guard)."""


class RoutingNotAllowed(NotAllowed):
    """An agent opening a ticket chose what their roles do not let them: ``choice`` is "assignee", "team"
    or "sla_plan"."""

    def __init__(self, message: str, choice: str):
        super().__init__(message)
        self.choice = choice


# What the actions and queries ask -------------------------------------------------------------------------


# A ticket merged into another is a closed record: it may be read, never changed (its conversation goes on
# in the ticket it was merged into, where its number and links lead).
MERGED_PERMS = frozenset({Perm.VIEW})


def perms(actor: Actor, ticket: Ticket) -> frozenset[str]:
    granted = rules_for(actor).perms(actor, ticket)
    return granted & MERGED_PERMS if ticket.merged_into_id is not None else granted


def can(actor: Actor, perm: str, ticket: Ticket) -> bool:
    return perm in perms(actor, ticket)


def require(actor: Actor, perm: str, ticket: Ticket) -> None:
    if not can(actor, perm, ticket):
        raise NotAllowed(f"{actor} may not {Perm(perm).label.lower()} on ticket #{ticket.number}.")


def visibility(actor: Actor) -> Q:
    """The filter on tickets that leaves what the actor may see."""
    return rules_for(actor).visibility(actor)


def sees(actor: Actor, ticket: Ticket) -> bool:
    """Would ``visible_tickets(actor)`` hold this ticket? Asked of a ticket read by its number alone."""
    return rules_for(actor).sees(actor, ticket)


def reads_internal(actor: Actor) -> bool:
    return rules_for(actor).reads_internal(actor)


def chooses_routing(actor: Actor) -> bool:
    return rules_for(actor).chooses_routing


def opens_for_self(actor: Actor, requester: Requester) -> bool:
    """Is the actor the requester themselves (not someone entering the ticket for them)?"""
    return actor.actor_ref().same_as(requester.actor_ref())


def may_set_state(actor: Actor, ticket: Ticket, state: str) -> bool:
    perm = rules_for(actor).status_perm(ticket.state, state)
    return perm is not None and can(actor, perm, ticket)


def require_state(actor: Actor, ticket: Ticket, state: str) -> None:
    if not may_set_state(actor, ticket, state):
        raise NotAllowed(f"{actor} may not set ticket #{ticket.number} to {State(state).label.lower()}.")


def require_writes(actor: Actor, kind: str, ticket: Ticket) -> None:
    """Agents write responses and notes (with the reply and note permissions); requesters messages."""
    if kind not in rules_for(actor).writes(actor):
        raise NotAllowed(f"{actor} may not write a {EntryKind(kind).label.lower()} here.")
    require(actor, Perm.NOTE if kind == EntryKind.NOTE else Perm.REPLY, ticket)


def require_message_from(actor: Actor, author: Requester, ticket: Ticket) -> None:
    """A message is written by a participant, posted by them or by an actor allowed to post for them."""
    if not can(author, Perm.REPLY, ticket) or not rules_for(actor).may_post_for(actor, author, ticket):
        raise NotAllowed(f"{actor} may not post a message from {author} on ticket #{ticket.number}.")


def require_open(actor: Actor, requester: Requester, department: Department, topic: HelpTopic | None) -> None:
    """May ``actor`` open a ticket for ``requester`` in ``department`` (through ``topic``)? Requesters open
    tickets for themselves only. Where the actor's kind is flood-guarded, the requester's limit of
    unfinished tickets applies. Call inside the transaction that opens the ticket. Raises NotAllowed."""
    rules = rules_for(actor)
    if not rules.may_open(actor, requester, department, topic):
        raise NotAllowed(rules.open_refusal(actor, department))
    if rules.flood_guarded(actor):
        require_room_for_another_ticket(requester)


def require_chosen_routing(
    actor: Actor, department: Department, *, assignee: Agent | None, team: object, sla_plan: object
) -> None:
    """What an agent may choose for a ticket they open in ``department``, as the staff panel's new-ticket
    form lets them: its priority, and themselves as assignee. Another assignee or a team takes the assign
    permission there, an SLA plan the edit permission. Channels (an API key, the email intake) route as
    they are configured. Raises RoutingNotAllowed."""
    if actor.actor_kind != ActorKind.AGENT:
        return
    opened = Ticket(department=department)  # asked of the policy before the ticket exists
    for choice, chosen, what, perm in (
        (
            "assignee",
            assignee is not None and assignee.pk != actor.actor_ref().agent_id,
            "assign it to someone else",
            Perm.ASSIGN,
        ),
        ("team", team is not None, "assign it to a team", Perm.ASSIGN),
        ("sla_plan", sla_plan is not None, "choose its SLA plan", Perm.EDIT),
    ):
        if chosen and not can(actor, perm, opened):
            raise RoutingNotAllowed(
                f"{actor} may not {what} when opening a ticket in {department} (that takes "
                f"'{Perm(perm).label}').",
                choice,
            )


def require_room_for_another_ticket(requester: Requester) -> None:
    """Requesters may have HELPLINE_MAX_OPEN_TICKETS open or pending tickets at once (0: no limit), so one
    address, or a script using it, cannot flood the queues. The requester's row is locked first, so
    concurrent requests for one requester count one after the other."""
    limit = settings.HELPLINE_MAX_OPEN_TICKETS
    if not limit:
        return
    list(Requester.objects.select_for_update().filter(pk=requester.pk).values_list("pk"))
    unfinished = (
        Ticket.objects.filter(requester=requester, state__in=ACTIVE_STATES).order_by()[:limit].count()
    )
    if unfinished >= limit:
        raise TooManyOpenTickets(
            f"You already have {unfinished} open ticket{pluralize(unfinished)}. Please reply on one of them "
            "(the links are in the emails we sent) instead of opening another."
        )


def require_assignable(agent: Agent | None, ticket: Ticket) -> None:
    """Tickets are assigned to active agents who work the ticket's department (never to someone for whom the
    assignment would be their only way in)."""
    if agent is not None and not works_in(agent, ticket.department_id):
        raise NotAllowed(f"{agent} does not work in {ticket.department} and cannot be assigned its tickets.")


class NotClaimable(NotAllowed):
    """The ticket cannot be taken any more (someone has it, it is finished): not a question of rights."""


def _claim_refusal(actor: Actor, ticket: Ticket) -> NotAllowed | None:
    if actor.actor_kind != ActorKind.AGENT:
        return NotAllowed(f"{actor} cannot take tickets: only agents take them.")
    agent = cast(Agent, actor)
    if not works_in(agent, ticket.department_id) or not can(agent, Perm.CLAIM, ticket):
        return NotAllowed(f"{agent} may not take unassigned tickets of {ticket.department}.")
    if ticket.assignee_id is not None:
        return NotClaimable(f"Ticket #{ticket.number} is assigned already.")
    if ticket.state not in ACTIVE_STATES:
        return NotClaimable(f"Ticket #{ticket.number} is {State(ticket.state).label.lower()}.")
    if ticket.team_id is not None and ticket.team_id not in team_ids(agent):
        return NotClaimable(f"Ticket #{ticket.number} is with a team you are not in.")
    return None


def can_claim(actor: Actor, ticket: Ticket) -> bool:
    """May the actor take the ticket, in one click, as its assignee? An agent who works the ticket's
    department with a role that grants "Take unassigned tickets" may take an unfinished ticket that no
    agent has: one with no team, or with a team they are in (the team keeps it). Reads nothing the actor's
    permissions have not loaded already, so a list can ask it of every row."""
    return _claim_refusal(actor, ticket) is None


def require_claim(actor: Actor, ticket: Ticket) -> None:
    """Raises NotClaimable when the ticket is taken or finished (or with another team), NotAllowed when the
    actor may not take it anyway."""
    refusal = _claim_refusal(actor, ticket)
    if refusal is not None:
        raise refusal


def require_task_assignee(agent: Agent | None, ticket: Ticket) -> None:
    """A task goes to an active agent who may see its ticket (or to nobody)."""
    if agent is not None and not can(agent, Perm.VIEW, ticket):
        raise NotAllowed(f"{agent} may not see ticket #{ticket.number} and cannot be given its tasks.")


class NotMergeable(NotAllowed):
    """These tickets cannot be merged this way (a ticket into itself, one merged already): whoever asks."""


def require_merge(actor: Actor, source: Ticket, target: Ticket) -> None:
    """May ``actor`` merge ``source`` into ``target``? Two different tickets, neither merged already, and the
    merge permission on both (it moves one's conversation and people into the other). Raises NotMergeable
    or NotAllowed."""
    if source.pk == target.pk:
        raise NotMergeable(f"Ticket #{source.number} cannot be merged into itself.")
    if source.merged_into_id is not None:
        raise NotMergeable(f"Ticket #{source.number} was merged into another ticket already.")
    if target.merged_into_id is not None:
        final = final_ticket(target).number
        raise NotMergeable(
            f"Ticket #{target.number} was itself merged into #{final}: merge into #{final} instead."
        )
    require(actor, Perm.MERGE, source)
    require(actor, Perm.MERGE, target)

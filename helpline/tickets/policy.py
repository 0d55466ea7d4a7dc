"""Who may see and do what to a ticket. Every action and every query asks here; nothing else decides.

The rules are written once per kind of actor (``RULES``): an agent's come from the roles they hold in each
department (the role is the ceiling: being assigned a ticket opens it to an agent outside their departments,
with no more than their roles allow); a requester's from being the ticket's requester or a collaborator; a
channel's (email intake, API key, SLA job, filter rule) from the rights its ``ChannelActor`` lists.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.template.defaultfilters import pluralize

from helpline.catalog.models import ACTIVE_STATES, FINISHED_STATES, State
from helpline.people.access import department_perms, departments_with, role_ceiling, team_ids, works_in
from helpline.people.actors import Actor, ActorKind, ChannelActor
from helpline.people.models import Agent, Department, Requester
from helpline.people.permissions import ALL_PERMS, ASSIGNEE_PERMS, Perm
from helpline.routing.models import HelpTopic
from helpline.tickets.merged import final_ticket
from helpline.tickets.models import Collaborator, EntryKind, Ticket


class NotAllowed(PermissionDenied):
    """The actor may not do this. Views answer it with 403; other doors report it their own way."""


class TooManyOpenTickets(NotAllowed):
    """The requester already has as many unfinished tickets as one person may (a flood guard)."""


NOTHING: frozenset[str] = frozenset()
NO_TICKETS = Q(pk__in=[])


# Agents ---------------------------------------------------------------------------------------------------


def _is_assigned(agent: Agent, ticket: Ticket) -> bool:
    return ticket.assignee_id == agent.pk or (
        ticket.team_id is not None and ticket.team_id in team_ids(agent)
    )


def _agent_perms(agent: Agent, ticket: Ticket) -> frozenset[str]:
    if not agent.is_active:
        return NOTHING
    if agent.is_administrator:
        return ALL_PERMS
    in_department = department_perms(agent).get(ticket.department_id)
    if in_department is not None:
        return in_department
    if _is_assigned(agent, ticket):
        return (ASSIGNEE_PERMS & role_ceiling(agent)) | {Perm.VIEW}
    return NOTHING


def _agent_visibility(agent: Agent) -> Q:
    if not agent.is_active:
        return NO_TICKETS
    if agent.is_administrator:
        return Q()
    return (
        Q(department_id__in=departments_with(agent, Perm.VIEW))
        | Q(assignee=agent)
        | Q(team_id__in=team_ids(agent))
    )


def _agent_sees(agent: Agent, ticket: Ticket) -> bool:
    """``_agent_visibility`` for one ticket already read."""
    if not agent.is_active:
        return False
    return (
        agent.is_administrator
        or ticket.department_id in departments_with(agent, Perm.VIEW)
        or ticket.assignee_id == agent.pk
        or (ticket.team_id is not None and ticket.team_id in team_ids(agent))
    )


def _agent_may_open(
    agent: Agent, requester: Requester, department: Department, topic: HelpTopic | None
) -> bool:
    if not agent.is_active:
        return False
    return agent.is_administrator or department.pk in departments_with(agent, Perm.CREATE)


# Requesters -----------------------------------------------------------------------------------------------


def is_participant(requester: Requester, ticket: Ticket) -> bool:
    if ticket.requester_id == requester.pk:
        return True
    return Collaborator.objects.filter(ticket=ticket, requester=requester).exists()


def _requester_perms(requester: Requester, ticket: Ticket) -> frozenset[str]:
    if ticket.requester_id == requester.pk:
        return frozenset({Perm.VIEW, Perm.REPLY, Perm.CLOSE})
    if is_participant(requester, ticket):
        return frozenset({Perm.VIEW, Perm.REPLY})
    return NOTHING


def _requester_visibility(requester: Requester) -> Q:
    copied = Collaborator.objects.filter(ticket=OuterRef("pk"), requester=requester)
    return Q(requester=requester) | Q(Exists(copied))


def _requester_may_open(
    actor: Requester, requester: Requester, department: Department, topic: HelpTopic | None
) -> bool:
    # Requesters open tickets for themselves, and choose where one goes only by choosing a public topic.
    if actor.pk != requester.pk or topic is None:
        return False
    return topic.is_public and topic.is_active and department.is_active


def _requester_status_perm(current: str, new: str) -> Perm | None:
    # A requester may close their ticket, and reopen it (the same right); nothing else.
    if new == State.CLOSED or (current in FINISHED_STATES and new == State.OPEN):
        return Perm.CLOSE
    return None


# Channels -------------------------------------------------------------------------------------------------


def _channel_perms(channel: ChannelActor, ticket: Ticket) -> frozenset[str]:
    return channel.ticket_perms if channel.holds_in(ticket.department_id) else NOTHING


def _channel_visibility(channel: ChannelActor) -> Q:
    if Perm.VIEW not in channel.ticket_perms:
        return NO_TICKETS
    return Q() if channel.departments is None else Q(department_id__in=channel.departments)


def _channel_sees(channel: ChannelActor, ticket: Ticket) -> bool:
    return Perm.VIEW in channel.ticket_perms and (
        channel.departments is None or ticket.department_id in channel.departments
    )


def _channel_may_open(
    channel: ChannelActor, requester: Requester, department: Department, topic: HelpTopic | None
) -> bool:
    return Perm.CREATE in channel.ticket_perms and channel.holds_in(department.pk) and department.is_active


# The rules, one set per kind ------------------------------------------------------------------------------


def perm_for_status(state: str) -> Perm:
    """For staff and channels: resolving and closing take the close permission; other statuses the status
    permission."""
    return Perm.CLOSE if state in FINISHED_STATES else Perm.STATUS


@dataclass(frozen=True)
class Rules:
    perms: Callable[[Any, Ticket], frozenset[str]]
    visibility: Callable[[Any], Q]
    # The visibility for one ticket already read: the same answer, without a query for agents.
    sees: Callable[[Any, Ticket], bool]
    # May it open a ticket for a requester in a department, through a topic? And what it is told if not.
    may_open: Callable[[Any, Requester, Department, HelpTopic | None], bool]
    open_refusal: Callable[[Any, Department], str]
    # Which permission a move from one state to another takes; None: never allowed.
    status_perm: Callable[[str, str], Perm | None]
    # The thread entries this kind writes in its own name.
    writes: Callable[[Any], frozenset[str]]
    # Whether the tickets it opens count against the requester's limit.
    flood_guarded: Callable[[Any], bool]
    # May it post a message written by ``author`` (who must be a participant either way)?
    may_post_for: Callable[[Any, Requester, Ticket], bool]
    # Does it read internal notes and events?
    reads_internal: Callable[[Any], bool]
    # May it route a ticket it opens (department, priority, plan, assignee), or only choose a help topic?
    chooses_routing: bool


RULES: dict[ActorKind, Rules] = {
    ActorKind.AGENT: Rules(
        perms=_agent_perms,
        visibility=_agent_visibility,
        sees=_agent_sees,
        may_open=_agent_may_open,
        open_refusal=lambda agent, department: f"{agent} may not open tickets in {department}.",
        status_perm=lambda current, new: perm_for_status(new),
        writes=lambda agent: frozenset({EntryKind.RESPONSE, EntryKind.NOTE}),
        flood_guarded=lambda agent: False,
        # An agent may record a participant's message (a phone call, a forwarded email).
        may_post_for=lambda agent, author, ticket: Perm.REPLY in _agent_perms(agent, ticket),
        reads_internal=lambda agent: True,
        chooses_routing=True,
    ),
    ActorKind.REQUESTER: Rules(
        perms=_requester_perms,
        visibility=_requester_visibility,
        sees=is_participant,
        may_open=_requester_may_open,
        open_refusal=lambda requester, department: (
            "Requesters open tickets for themselves, under a public help topic."
        ),
        status_perm=_requester_status_perm,
        writes=lambda requester: frozenset({EntryKind.MESSAGE}),
        flood_guarded=lambda requester: True,
        may_post_for=lambda requester, author, ticket: requester.pk == author.pk,
        reads_internal=lambda requester: False,
        chooses_routing=False,
    ),
    ActorKind.CHANNEL: Rules(
        perms=_channel_perms,
        visibility=_channel_visibility,
        sees=_channel_sees,
        may_open=_channel_may_open,
        open_refusal=lambda channel, department: f"{channel} may not open tickets in {department}.",
        status_perm=lambda current, new: perm_for_status(new),
        writes=lambda channel: channel.writes,
        flood_guarded=lambda channel: channel.flood_guarded,
        may_post_for=lambda channel, author, ticket: channel.posts_for_participants,
        reads_internal=lambda channel: channel.reads_internal,
        chooses_routing=True,
    ),
}


def rules_for(actor: Actor) -> Rules:
    return RULES[actor.actor_kind]


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

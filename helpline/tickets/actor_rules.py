"""The rules of ``tickets.policy``, written once per kind of actor (``RULES``): an agent's come from the roles
they hold in each department (the role is the ceiling: being assigned a ticket opens it to an agent outside
their departments, with no more than their roles allow); a requester's from being the ticket's requester or
a collaborator; a channel's (email intake, API key, SLA job, filter rule) from the rights its
``ChannelActor`` lists. Nothing asks here directly: the actions and queries ask ``policy``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q

from helpline.catalog.models import FINISHED_STATES, State
from helpline.people.access import department_perms, departments_with, role_ceiling, team_ids
from helpline.people.actors import Actor, ActorKind, ChannelActor
from helpline.people.models import Agent, Department, Requester
from helpline.people.permissions import ALL_PERMS, ASSIGNEE_PERMS, Perm
from helpline.routing.models import HelpTopic
from helpline.tickets.models import Collaborator, EntryKind, Ticket

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

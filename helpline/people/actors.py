"""Who acts: an agent, a requester, or a channel that is not a signed-in person.

Every actor answers two questions, whatever its kind: which rules of the policy apply to it (``actor_kind``)
and how it is named on the record (``actor_ref()``). The policy (``tickets.policy``) holds one set of rules per
kind, so a new kind of actor is a new class here and one entry there.

Channels (the email intake, an API key, the SLA job, a filter rule) act with exactly the rights their channel
needs: a ``ChannelActor`` lists the ticket permissions it holds, the departments they hold in, and whether it
may post messages written by a ticket's participants.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from helpline.people.permissions import Perm


class ActorKind(StrEnum):
    AGENT = "agent"
    REQUESTER = "requester"
    CHANNEL = "channel"


@dataclass(frozen=True)
class ActorRef:
    """An actor as the record keeps it: its kind, its id (the row's, or the mailbox's, key's, rule's) and
    its name at the time. ``channel`` names a channel actor's channel."""

    kind: ActorKind
    id: int | None
    name: str
    channel: str = ""

    @property
    def agent_id(self) -> int | None:
        return self.id if self.kind == ActorKind.AGENT else None

    @property
    def requester_id(self) -> int | None:
        return self.id if self.kind == ActorKind.REQUESTER else None

    def same_as(self, other: "ActorRef") -> bool:
        """The same actor (kind and id), whatever the name was at either time."""
        return self.id is not None and (self.kind, self.channel, self.id) == (
            other.kind,
            other.channel,
            other.id,
        )


class Actor(Protocol):
    """Anything that may act on a ticket: ``Agent``, ``Requester`` and ``ChannelActor`` implement it."""

    @property
    def actor_kind(self) -> ActorKind: ...

    def actor_ref(self) -> ActorRef: ...


class Channel(StrEnum):
    EMAIL = "email"
    API = "api"
    SLA = "sla"
    RULE = "rule"
    AUTOMATION = "automation"


@dataclass(frozen=True)
class ChannelActor:
    """A part of Helpline acting for a channel, with the rights of that channel and no more.

    ``ticket_perms`` hold on tickets of ``departments`` (None: every department). ``posts_for_participants``
    lets it post a message written by the ticket's requester or a collaborator, on any ticket (a reply by
    email lands wherever its ticket went since). ``flood_guarded``: tickets it opens count against the
    requester's limit of unfinished tickets, as if the requester had opened them in the portal.
    """

    channel: Channel
    name: str
    id: int | None = None
    ticket_perms: frozenset[str] = field(default_factory=frozenset)
    departments: frozenset[int] | None = frozenset()
    posts_for_participants: bool = False
    flood_guarded: bool = False
    reads_internal: bool = False
    # The thread entries it writes in its own name (a filter rule's canned reply is a response).
    writes: frozenset[str] = field(default_factory=frozenset)

    actor_kind = ActorKind.CHANNEL

    def __str__(self) -> str:
        return self.name

    def actor_ref(self) -> ActorRef:
        return ActorRef(ActorKind.CHANNEL, self.id, self.name, channel=self.channel.value)

    def holds_in(self, department_id: int) -> bool:
        return self.departments is None or department_id in self.departments


# The periodic SLA job: it flags overdue tickets (a status-level change) in every department.
SLA_JOB = ChannelActor(
    Channel.SLA, "SLA monitor", ticket_perms=frozenset({Perm.VIEW, Perm.STATUS}), departments=None
)


# Closing resolved tickets nobody answered for a while (HELPLINE_AUTO_CLOSE_DAYS).
AUTO_CLOSE = ChannelActor(
    Channel.AUTOMATION, "Auto-close", ticket_perms=frozenset({Perm.VIEW, Perm.CLOSE}), departments=None
)

# What a plan's escalation steps and a filter rule may change on the tickets they act on.
ROUTING_PERMS = frozenset({Perm.VIEW, Perm.STATUS, Perm.ASSIGN, Perm.TRANSFER, Perm.EDIT})


def sla_plan_actor(*, plan_id: int, plan_name: str) -> ChannelActor:
    """An SLA plan applying its escalation steps: named on the record as the plan."""
    return ChannelActor(
        Channel.SLA, f"SLA plan {plan_name}", id=plan_id, ticket_perms=ROUTING_PERMS, departments=None
    )


def rule_actor(*, rule_id: int, rule_name: str) -> ChannelActor:
    """A filter rule changing a ticket (on a new message) or answering with its canned reply."""
    return ChannelActor(
        Channel.RULE,
        f"Filter rule {rule_name}",
        id=rule_id,
        ticket_perms=ROUTING_PERMS | {Perm.REPLY, Perm.CLOSE},
        departments=None,
        writes=frozenset({"response"}),
    )


def mail_intake(*, mailbox_id: int, mailbox_name: str, department_id: int) -> ChannelActor:
    """The email intake of one mailbox: it opens tickets in the mailbox's department and posts the
    messages of a ticket's participants, nothing else."""
    return ChannelActor(
        Channel.EMAIL,
        f"Email intake ({mailbox_name})",
        id=mailbox_id,
        ticket_perms=frozenset({Perm.CREATE}),
        departments=frozenset({department_id}),
        posts_for_participants=True,
        flood_guarded=True,
    )

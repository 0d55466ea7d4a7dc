"""Following a ticket: an agent hears of its replies, notes and status changes without being its assignee
(the notification kind ``followed_update``, see ``tickets.notifications``). Following changes who hears of
the ticket, not the ticket: no version, no event."""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from helpline.core.prepared import PreparedQuery
from helpline.people.actors import Actor, ActorKind
from helpline.people.models import Agent
from helpline.people.permissions import Perm
from helpline.tickets.models import Follower, ThreadEntry, Ticket
from helpline.tickets.notifications import Owed
from helpline.tickets.policy import NotAllowed, require
from helpline.tickets.recipients import FOLLOWED_UPDATE


def follow_ticket(*, actor: Agent, ticket: Ticket) -> bool:
    """The agent follows the ticket (they must see it). Returns False, changing nothing, when they already
    do. Raises NotAllowed."""
    require(actor, Perm.VIEW, ticket)
    with transaction.atomic():
        return start_following(ticket, actor, timezone.now())


def unfollow_ticket(*, actor: Agent, ticket: Ticket) -> bool:
    """The agent stops following the ticket; returns False when they did not follow it."""
    removed, _ = Follower.objects.filter(ticket=ticket, agent=actor).delete()
    return bool(removed)


def start_following(ticket: Ticket, actor: Actor, at: datetime) -> bool:
    """Make an agent actor a follower inside the caller's transaction (other actors follow nothing).
    Concurrent calls for the same pair make one row."""
    if actor.actor_kind != ActorKind.AGENT:
        return False
    if not isinstance(actor, Agent):
        raise NotAllowed(f"{actor} cannot follow tickets.")
    _, created = Follower.objects.get_or_create(ticket=ticket, agent=actor, defaults={"created_at": at})
    return created


# Asked on every ticket page: compiled once (core.prepared).
_FOLLOWS = PreparedQuery(
    lambda ticket_id, agent_id: Follower.objects.filter(ticket_id=ticket_id, agent_id=agent_id).values_list(
        "pk"
    )[:1],
    kinds=(int, int),
)


def is_following(agent: Agent, ticket: Ticket) -> bool:
    return bool(_FOLLOWS.rows(ticket.pk, agent.pk))


def has_followers(ticket: Ticket) -> bool:
    return Follower.objects.filter(ticket=ticket).exists()


def followers_owed(
    ticket: Ticket,
    actor: Actor,
    update: str,
    *,
    entry: ThreadEntry | None = None,
    covered_by: tuple = (),
    told: Sequence[int] = (),
) -> list[Owed]:
    """The ``followed_update`` a reply, message, note or status change owes the ticket's followers, when it
    has any (one indexed look-up instead of a notification for every change of every ticket). ``update``
    names what happened ("reply", "message", "note", "status"); ``covered_by``, the other kinds the same
    change notifies, whose recipients are not told twice; ``told``, agents the change alerts by name (the
    agents a note mentions), who are not told twice either."""
    if not has_followers(ticket):
        return []
    data = {
        "update": update,
        "changed_by": actor.actor_ref().name,
        "covered_by": list(covered_by),
        "told": list(told),
    }
    return [Owed(FOLLOWED_UPDATE, entry=entry, data=data)]

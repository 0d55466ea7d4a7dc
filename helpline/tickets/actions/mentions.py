"""Recording the agents an internal note mentions, and the alert they are owed."""

from datetime import datetime

from helpline.people.actors import Actor, ActorKind
from helpline.people.models import Agent
from helpline.tickets.actions.base import notify
from helpline.tickets.mentions import resolve_mentions
from helpline.tickets.models import Mention, ThreadEntry, Ticket
from helpline.tickets.notifications import Owed


def record_mentions(ticket: Ticket, actor: Actor, entry: ThreadEntry, at: datetime) -> list[Mention]:
    """One Mention per agent the note names who may see the ticket, and one "mentioned" notification for
    them all. In the note's transaction."""
    author = actor if actor.actor_kind == ActorKind.AGENT else None
    resolution = resolve_mentions(ticket, entry.body_text, author if isinstance(author, Agent) else None)
    if not resolution.agents:
        return []
    mentions = Mention.objects.bulk_create(
        Mention(entry=entry, ticket=ticket, agent=agent, created_at=at) for agent in resolution.agents
    )
    notify(ticket, actor, Owed("mentioned", entry=entry, data={"agents": [a.pk for a in resolution.agents]}))
    return mentions

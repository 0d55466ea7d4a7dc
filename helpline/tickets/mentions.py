"""Who an internal note mentions: ``@username``, or ``@`` followed by an agent's display name ("@Sam
Agent") when exactly one agent who works the ticket goes by it. Only agents who may see the ticket are
mentioned; the others named are reported back to the note's author, so they know nobody was told."""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from helpline.people.access import agents_working_in
from helpline.people.models import Agent
from helpline.people.permissions import Perm
from helpline.tickets.models import Ticket
from helpline.tickets.policy import can

# A username as Django allows it (letters, digits and @.+-_), after an @ that does not end a word (so an
# email address mentions nobody); a trailing full stop or hyphen is punctuation, not part of it.
USERNAME = re.compile(r"(?<![\w@.+-])@([\w.@+-]*[\w@+])")
# Bounded work whatever the note says.
MAX_MENTIONS = 20


@dataclass
class Resolution:
    agents: list[Agent] = field(default_factory=list)  # mentioned: they may see the ticket
    unseen: list[str] = field(default_factory=list)  # named, but may not see it: nobody is told
    ambiguous: list[str] = field(default_factory=list)  # a display name more than one agent has


def resolve_mentions(ticket: Ticket, text: str, author: Agent | None = None) -> Resolution:
    """The agents the text mentions (never its author), in the order first named."""
    found = Resolution()
    chosen: dict[int, Agent] = {}
    for agent in _by_username(text):
        if can(agent, Perm.VIEW, ticket):
            chosen.setdefault(agent.pk, agent)
        elif agent.display_name not in found.unseen:
            found.unseen.append(agent.display_name)
    for agent in _by_display_name(ticket, text, found):
        chosen.setdefault(agent.pk, agent)
    found.agents = [agent for pk, agent in chosen.items() if author is None or pk != author.pk][:MAX_MENTIONS]
    return found


def _by_username(text: str) -> list[Agent]:
    names = list(dict.fromkeys(match.lower() for match in USERNAME.findall(text)))[:MAX_MENTIONS]
    if not names:
        return []
    user_ids = (
        get_user_model()
        .objects.annotate(lowered=Lower("username"))
        .filter(lowered__in=names, is_active=True)
        .values("pk")
    )
    return list(Agent.objects.filter(user__in=user_ids).select_related("user"))


def _by_display_name(ticket: Ticket, text: str, found: Resolution) -> list[Agent]:
    """Display names are matched only among the agents who work the ticket (and its assignee): a name
    outside them is no mention, and two of them with one name mention neither."""
    if "@" not in text:
        return []
    lowered = text.lower()
    candidates = {agent.pk: agent for agent in agents_working_in(ticket.department)}
    if ticket.assignee_id is not None and ticket.assignee is not None:
        candidates.setdefault(ticket.assignee_id, ticket.assignee)
    by_name: dict[str, list[Agent]] = {}
    for agent in candidates.values():
        if " " in agent.display_name.strip():  # a one-word name is the username's business
            by_name.setdefault(agent.display_name.lower(), []).append(agent)
    mentioned = []
    for name, agents in by_name.items():
        if not re.search(rf"(?<![\w@.+-])@{re.escape(name)}(?!\w)", lowered):
            continue
        if len(agents) > 1:
            found.ambiguous.append(agents[0].display_name)
        else:
            mentioned.append(agents[0])
    return mentioned

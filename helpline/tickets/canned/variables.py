"""The variables a canned response may name, and their substitution.

No template engine: a response's text is an agent's or an administrator's, so it may name only the
variables below, written ``{{ requester.name }}``, and each is replaced by its plain value. Anything else
between ``{{`` and ``}}`` is refused when the response is saved, so no text can reach other data.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from helpline.people.models import Agent
from helpline.tickets.access import access_url
from helpline.tickets.models import Ticket


@dataclass(frozen=True)
class Variable:
    name: str
    meaning: str


VARIABLES = (
    Variable("requester.name", "The requester's name."),
    Variable("ticket.number", "The ticket's number."),
    Variable("ticket.subject", "The ticket's subject."),
    Variable("ticket.department", "The ticket's department."),
    Variable(
        "ticket.portal_url",
        "The requester's private link to the ticket in the portal (collaborators copied on the reply read it "
        "too, and whoever has it can answer as the requester).",
    ),
    Variable("ticket.staff_url", "The ticket's page in the staff panel (for agents only)."),
    Variable("agent.name", "The name of the agent who inserts the response."),
)
NAMES = frozenset(variable.name for variable in VARIABLES)
PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def unknown_variables(text: str) -> list[str]:
    """What the text names between ``{{`` and ``}}`` that is no variable, in order, once each."""
    unknown: dict[str, None] = {}
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1).strip()
        if name not in NAMES:
            unknown[name] = None
    return list(unknown)


def values_for(ticket: Ticket, agent: Agent) -> dict[str, str]:
    """Each variable's value on this ticket, for this agent. Precondition: the ticket was read with its
    requester and department."""
    return {
        "requester.name": ticket.requester.name,
        "ticket.number": ticket.number,
        "ticket.subject": ticket.subject,
        "ticket.department": ticket.department.name,
        "ticket.portal_url": access_url(ticket, ticket.requester),
        "ticket.staff_url": settings.SITE_URL + reverse("staff:ticket", args=[ticket.number]),
        "agent.name": agent.display_name,
    }


def substitute(text: str, values: dict[str, str]) -> str:
    """The text with each variable replaced by its value; an unknown name (a response saved before a
    variable was withdrawn) is left as written."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1).strip(), match.group(0)), text)

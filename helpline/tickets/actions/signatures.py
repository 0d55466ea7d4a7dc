"""The signatures a response ends with: the agent's own, then the department's. They are added to the
stored body, so the requester reads the same text in the email (plain and HTML, both rendered from the
entry) and in the portal's thread, and a later change of a signature does not rewrite what was sent."""

from django.utils.html import linebreaks

from helpline.people.actors import Actor
from helpline.people.models import Agent
from helpline.tickets.models import Ticket


def signatures(actor: Actor, ticket: Ticket) -> list[str]:
    """The non-blank signatures for a response by ``actor`` on ``ticket``, the agent's first."""
    found = [actor.signature] if isinstance(actor, Agent) else []
    found.append(ticket.department.signature)
    return [text.replace("\r\n", "\n").strip() for text in found if text.strip()]


def signed(body: str, body_format: str, actor: Actor, ticket: Ticket) -> str:
    """``body`` with the signatures appended in its own format (HTML is sanitized afterwards, with the
    body, when the entry is written)."""
    parts = signatures(actor, ticket) if body.strip() else []
    if not parts:
        return body
    if body_format == "html":
        return body + "".join(linebreaks(part, autoescape=True) for part in parts)
    return "\n\n".join([body.rstrip(), *parts])

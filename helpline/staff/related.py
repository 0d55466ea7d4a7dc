"""The tickets linked to a ticket, as its page shows them."""

from dataclasses import dataclass

from helpline.core.prepared import PreparedQuery
from helpline.people.models import Agent
from helpline.tickets.models import Ticket, TicketLink
from helpline.tickets.queries import visible_tickets


@dataclass(frozen=True)
class RelatedTicket:
    """The other end of a link: the ticket when the agent may see it, else only its number."""

    number: str
    ticket: Ticket | None


# Read on every ticket page: compiled once (core.prepared).
_LINKS = PreparedQuery(
    lambda ticket_id: TicketLink.objects.filter(TicketLink.involving(ticket_id)).values_list(
        "low_id", "high_id"
    )
)


def related_tickets(agent: Agent, ticket: Ticket) -> list[RelatedTicket]:
    """The tickets linked to ``ticket``, by number: at most three queries whatever their number (one with
    no links; the third only for tickets the agent may not see, shown by number alone)."""
    pairs = _LINKS.rows(ticket.pk)
    others = [high if low == ticket.pk else low for low, high in pairs]
    if not others:
        return []
    seen = {t.pk: t for t in visible_tickets(agent).filter(pk__in=others).select_related("status")}
    unseen = set(others) - set(seen)
    hidden = dict(Ticket.objects.filter(pk__in=unseen).values_list("pk", "number")) if unseen else {}
    related = [
        RelatedTicket(seen[pk].number if pk in seen else hidden.get(pk, "?"), seen.get(pk)) for pk in others
    ]
    return sorted(related, key=lambda r: r.number)

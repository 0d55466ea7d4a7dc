"""Which ticket an incoming email belongs to, and who wrote it, as far as the desk may believe it.

A message joins a ticket by its In-Reply-To and References (the Message-IDs Helpline sent and received),
then by the ticket number token in its subject (a ticket merged into another leads to that one); and only when its sender is the ticket's requester, one of
its collaborators, or (replying to an email Helpline sent to them) one of the agents working it. Anyone else
copying a subject or a Message-ID opens a new ticket instead of writing into someone else's.
"""

from dataclasses import dataclass

from helpline.inbound.message import ParsedMessage
from helpline.inbound.models import RawMessage
from helpline.mail.models import OutboundEmail
from helpline.mail.threading import subject_token
from helpline.people.models import Agent, Requester
from helpline.people.requesters import requesters_by_email
from helpline.tickets.merged import final_ticket
from helpline.tickets.models import Collaborator, Ticket
from helpline.tickets.policy import can

MAX_REFERENCES = 50


@dataclass(frozen=True)
class Match:
    ticket: Ticket
    via: str  # "reference" or "subject"
    # The addresses Helpline's email that this one answers was sent to (by reference only).
    replied_to: frozenset[str] = frozenset()


def referenced_ids(parsed: ParsedMessage) -> list[str]:
    """The Message-IDs the message answers, the most direct first."""
    ids = [*parsed.in_reply_to, *reversed(parsed.references)]
    # A Message-ID with a control character matches nothing Helpline stored (and no database takes a NUL).
    ids = [i for i in ids if i.isprintable()]
    return list(dict.fromkeys(ids))[:MAX_REFERENCES]


def find_ticket(parsed: ParsedMessage) -> Match | None:
    ids = referenced_ids(parsed)
    if ids:
        found = _by_reference(ids)
        if found is not None:
            return found
    number = subject_token(parsed.subject)
    if number:
        ticket = (
            Ticket.objects.select_related("status", "department", "requester").filter(number=number).first()
        )
        if ticket is not None:
            return Match(final_ticket(ticket), "subject")
    return None


def _by_reference(ids: list[str]) -> Match | None:
    rank = {message_id: index for index, message_id in enumerate(ids)}
    candidates: list[tuple[int, int, frozenset[str]]] = []
    for message_id, ticket_id, recipient in OutboundEmail.objects.filter(
        message_id__in=ids, ticket_id__isnull=False
    ).values_list("message_id", "ticket_id", "recipient"):
        if message_id and ticket_id:
            candidates.append(
                (rank[message_id], ticket_id, frozenset({recipient.lower()} if recipient else ()))
            )
    for message_id, ticket_id in RawMessage.objects.filter(
        message_id__in=ids, ticket__isnull=False
    ).values_list("message_id", "ticket_id"):
        candidates.append((rank.get(message_id, len(ids)), ticket_id, frozenset()))
    for message_id, ticket_id in Ticket.objects.filter(email_thread_id__in=ids).values_list(
        "email_thread_id", "pk"
    ):
        candidates.append((rank[message_id], ticket_id, frozenset()))
    if not candidates:
        return None
    _, ticket_id, replied_to = min(candidates, key=lambda candidate: candidate[0])
    ticket = Ticket.objects.select_related("status", "department", "requester").filter(pk=ticket_id).first()
    return Match(final_ticket(ticket), "reference", replied_to) if ticket is not None else None


def participant(ticket: Ticket, address: str) -> Requester | None:
    """The ticket's requester or collaborator with this address (any letter case), if any."""
    for requester in requesters_by_email(address):
        if (
            requester.pk == ticket.requester_id
            or Collaborator.objects.filter(ticket=ticket, requester=requester).exists()
        ):
            return requester
    return None


def replying_agent(match: Match, address: str) -> Agent | None:
    """An agent answering, by email, an email Helpline sent to that agent's own address about this ticket,
    and who may reply on it. A From address alone is easily forged: the reference to what was sent to that
    very address is what the desk believes."""
    address = address.lower()
    if match.via != "reference" or address not in match.replied_to:
        return None
    agent = (
        Agent.objects.select_related("user").filter(user__email__iexact=address, user__is_active=True).first()
    )
    if agent is None or not can(agent, "reply", match.ticket):
        return None
    return agent

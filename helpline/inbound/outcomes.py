"""What the email intake made of a message: its outcome, and the refusal that keeps it for administrators."""

from dataclasses import dataclass
from enum import StrEnum

from helpline.inbound.models import RawMessage
from helpline.tickets.models import Ticket


class Outcome(StrEnum):
    NEW_TICKET = "new ticket"
    FOLLOW_UP = "follow-up ticket"
    REPLY = "reply"
    RESPONSE = "agent response"
    NOTE = "agent note"
    BOUNCE = "bounce"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    FAILED = "failed"


@dataclass(frozen=True)
class Result:
    raw: RawMessage
    outcome: Outcome
    ticket: Ticket | None = None
    reason: str = ""

    # For a rejected message: whether its sender should hear of it (the mail server bounces it); never for
    # a loop, where a bounce would only feed the loop.
    tell_sender: bool = True


class Refused(Exception):
    """The message cannot become a ticket or a reply; it is kept, with this reason, for administrators."""

    def __init__(self, reason: str, *, tell_sender: bool = True):
        super().__init__(reason)
        self.tell_sender = tell_sender

"""What the fetch loop asks of a signed-in IMAP or POP3 session."""

from dataclasses import dataclass, field
from typing import Protocol

from helpline.inbound.models import Mailbox


@dataclass(frozen=True)
class Pending:
    """A message to fetch, as the server names it: an IMAP UID, or a POP3 message number and unique id."""

    key: str
    uid: str = ""


@dataclass(frozen=True)
class TooLarge:
    """A message over the size limit, left on the server."""

    size: int
    description: str = ""


@dataclass
class Listing:
    pending: list[Pending] = field(default_factory=list)
    too_large: list[TooLarge] = field(default_factory=list)
    more: bool = False  # more messages wait than one run takes


class Session(Protocol):
    def listing(self, *, limit: int, max_bytes: int) -> Listing:
        """The next messages to fetch (at most ``limit``, each at most ``max_bytes``) and those too large."""
        ...

    def retrieve(self, message: Pending) -> bytes | None:
        """The message's bytes, changing nothing on the server; None when it is gone meanwhile."""
        ...

    def acknowledge(self, message: Pending) -> None:
        """The mailbox's after-fetch action, once the message is stored (committed)."""
        ...

    def finish(self) -> None:
        """Make the actions final (IMAP expunge, POP3 QUIT) and sign out."""
        ...

    def close(self) -> None:
        """Drop the connection without raising, whatever state it is in."""
        ...


def server_port(mailbox: Mailbox) -> int:
    """The mailbox's port, or its protocol's usual one for the security chosen."""
    if mailbox.port:
        return mailbox.port
    implicit = mailbox.security == Mailbox.Security.SSL
    if mailbox.protocol == Mailbox.Protocol.POP3:
        return 995 if implicit else 110
    return 993 if implicit else 143

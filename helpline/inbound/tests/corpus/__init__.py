"""The corpus of received mail, and what each message must become (``manifest.json`` beside the files).

For each ``.eml`` file the manifest gives the facts parsing and classifying must find (sender, subject,
body, files kept and refused, the kind of mail and why, the bounce), and the outcome the intake must reach
with it, checked end to end by the intake's own test:

- ``new_ticket``: a new ticket from the sender, who gets the automatic acknowledgement.
- ``new_ticket_no_autoreply``: a new ticket; nothing automatic goes back (the mail is automatic).
- ``reply``: joins the scenario ticket named by ``ticket``, as a message from its ``author`` (the
  ``requester``, a ``collaborator`` or an ``agent`` of that ticket).
- ``bounce``: recorded as an event on the scenario ticket named by ``ticket`` (the one the bounced email was
  about), never as a message from anyone.
- ``rejected:<reason>``: kept for the administrators with that reason: ``no usable sender``,
  ``banned sender`` (the setup bans the domains in ``BANNED``), ``loop``, ``unparseable``,
  ``unmatched bounce`` (a delivery report about an email Helpline did not send).

The scenarios are the tickets the end-to-end test sets up before feeding a message: number, subject,
department, status, requester, collaborators, the agents who work it, the emails Helpline sent about it
(``sent``: Message-ID and recipient, as outbox rows) and the Message-IDs of mail already received on it.
The desk's own mailbox addresses are ``DESK_ADDRESSES``.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from helpline.inbound.message import Bounce

DIRECTORY = Path(__file__).parent


@dataclass(frozen=True)
class Scenario:
    number: str
    subject: str
    department: str
    status: str
    requester: str
    collaborators: tuple[str, ...]
    agents: tuple[str, ...]
    sent: tuple[tuple[str, str], ...]
    received: tuple[str, ...]


@dataclass(frozen=True)
class Expected:
    outcome: str
    note: str
    sender: str | None  # the sender's address as written; None: no usable sender
    subject: str
    sender_name: str | None = None  # checked when given
    body: str = "text"  # "html" (an HTML body, with its text), "text" (text only) or "none"
    text_has: str = ""  # a phrase the text body contains
    html_has: str = ""
    new_text: str = ""  # the text of the reply without its history (quotes.trim_reply), when given
    new_html_has: str = ""
    new_html_lacks: str = ""
    attachments: tuple[str, ...] = ()  # the files kept, in order, inline images included
    inline: tuple[str, ...] = ()  # those of them shown in place
    refused: tuple[str, ...] = ()  # the files refused, in order
    kind: str = "person"  # classify.Kind
    reason_has: str = ""  # a phrase of the classification's reason
    bounce: Bounce | None = None
    ticket: str = ""  # the scenario a reply or a bounce belongs to
    author: str = ""  # who a reply is from: requester, collaborator, agent
    unparseable: str = ""  # a phrase of the reason, for a message that cannot be parsed at all
    in_reply_to: tuple[str, ...] | None = None  # the rest are checked when given
    cc: tuple[str, ...] | None = None
    delivered_to: tuple[str, ...] | None = None
    message_id: str | None = None
    references_count: int | None = None
    dated: bool = True
    defects: tuple[str, ...] = ()  # defects the parser must have noticed (among others)


def _tuples(entry: dict) -> dict:
    return {key: tuple(value) if isinstance(value, list) else value for key, value in entry.items()}


def _expected(entry: dict) -> Expected:
    entry = _tuples(entry)
    if entry.get("bounce"):
        entry["bounce"] = Bounce(**entry["bounce"])
    return Expected(**entry)


_DATA = json.loads((DIRECTORY / "manifest.json").read_text(encoding="utf-8"))
DESK_ADDRESSES: tuple[str, ...] = tuple(_DATA["desk_addresses"])
BANNED: tuple[str, ...] = tuple(_DATA["banned"])
SCENARIOS: dict[str, Scenario] = {
    name: Scenario(**{**_tuples(entry), "sent": tuple(tuple(pair) for pair in entry["sent"])})
    for name, entry in _DATA["scenarios"].items()
}
MANIFEST: dict[str, Expected] = {name: _expected(entry) for name, entry in _DATA["messages"].items()}


def read(name: str) -> bytes:
    """The bytes of a corpus message, exactly as stored."""
    return (DIRECTORY / name).read_bytes()

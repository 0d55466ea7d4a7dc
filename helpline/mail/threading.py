"""What ties Helpline's emails into conversations, written one way for the sender and the email intake alike.

- Message-IDs: every outgoing email gets ``new_message_id()`` when its outbox row is written; the row keeps
  it, so a reply's In-Reply-To or References names the email it answers (and through the row, its ticket,
  thread entry and recipient).
- The ticket number token in subjects: ``[#12345678]`` (``TOKEN_FORMAT``); ``subject_token`` reads it back.
  A token alone proves nothing (anyone can type one): the intake checks who sent the reply.
- ``LOOP_MARKER``: the ``X-Loop`` value on everything Helpline sends; mail that comes back carrying it is
  Helpline's own and gets no automatic answer.
- The note address of a reply address: ``support+note@example.com`` for ``support@example.com``.
"""

import re
import secrets
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings

LOOP_HEADER = "X-Loop"
LOOP_MARKER = "helpline"
TOKEN_FORMAT = "[#{number}]"  # noqa: S105 - the ticket number's tag in subjects, no secret
# Ticket numbers are 6 to 20 digits that never start with 0 (``tickets.numbers``).
TOKEN_PATTERN = re.compile(r"\[#([1-9][0-9]{5,19})\]")
NOTE_TAG = "note"
# In-Reply-To names one email; References the root of the conversation and the last ones before it.
REFERENCES_KEPT = 10


def message_id_domain() -> str:
    """The domain of Helpline's Message-IDs: that of ``DEFAULT_FROM_EMAIL``, else the host of ``SITE_URL``."""
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2].strip().lower()
    if domain and "@" in address:
        return domain
    return (urlsplit(settings.SITE_URL).hostname or "localhost").lower()


def new_message_id() -> str:
    """A Message-ID nobody can guess: 128 random bits at Helpline's domain."""
    return f"<{secrets.token_hex(16)}@{message_id_domain()}>"


def ticket_root_id(number: str) -> str:
    """The synthetic root of a ticket's conversation, for a ticket that did not begin as an email. It is
    predictable: it threads the emails, it does not vouch for a reply that names it."""
    return f"<ticket-{number}@{message_id_domain()}>"


def token(number: str) -> str:
    return TOKEN_FORMAT.format(number=number)


def subject_token(subject: str | None) -> str | None:
    """The ticket number of the first ``[#NUMBER]`` token in a subject, or None."""
    if not subject:
        return None
    found = TOKEN_PATTERN.search(subject)
    return found.group(1) if found else None


def with_token(subject: str, number: str) -> str:
    """The subject with the ticket's token: as written when it is already there, else in front."""
    if token(number) in subject:
        return subject
    return f"{token(number)} {subject}".strip()


def note_address(address: str) -> str:
    """The address whose mail becomes an internal note: ``local+note@domain`` of ``address`` (bare or
    with a display name). Empty for an address without a domain."""
    _, bare = parseaddr(address)
    local, at, domain = bare.rpartition("@")
    if not at or not local or not domain:
        return ""
    return f"{local}+{NOTE_TAG}@{domain}"


def thread_headers(root: str, earlier: list[str]) -> dict[str, str]:
    """In-Reply-To and References for an email that continues the conversation rooted at ``root`` after
    ``earlier`` (oldest first): it answers the last one, and names the root and the last few before it."""
    chain = [root, *[mid for mid in earlier if mid != root]]
    if len(chain) > REFERENCES_KEPT:
        chain = [root, *chain[-(REFERENCES_KEPT - 1) :]]
    return {"In-Reply-To": chain[-1], "References": " ".join(chain)}

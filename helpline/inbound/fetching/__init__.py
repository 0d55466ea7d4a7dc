"""Fetching mail from the mailboxes Helpline reads, over IMAP or POP3.

Each message is read without changing it on the server, stored (committed) once per Message-ID, handed to
the intake, and only then marked read, deleted or moved: a crash at any point loses nothing, and fetching a
message again stores nothing new. A fetch is bounded (``HELPLINE_MAIL_FETCH_LIMIT`` messages, each at most
``HELPLINE_MAX_EMAIL_BYTES``; larger ones are left on the server and named in the mailbox's last error),
every network operation has a timeout (``HELPLINE_MAIL_TIMEOUT``), and its outcome is recorded on the
mailbox. Periodic fetches claim a mailbox with a lease (a conditional UPDATE of ``next_fetch_at``), so two
workers never fetch the same mailbox at once."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from helpline.inbound import store
from helpline.inbound.fetching.errors import FetchError, describe_headers, session_failure, tls_context
from helpline.inbound.fetching.imap import ImapSession
from helpline.inbound.fetching.pop3 import Pop3Session
from helpline.inbound.fetching.session import Session, TooLarge, server_port
from helpline.inbound.intake import process_stored
from helpline.inbound.models import Mailbox, RawMessage
from helpline.inbound.secrets import UnreadablePassword, decrypt_password

log = logging.getLogger(__name__)
# How long a claimed mailbox stays taken: longer than a fetch can run. A worker that dies mid-fetch
# leaves the mailbox to be fetched again after it.
LEASE = timedelta(minutes=15)


@dataclass
class FetchResult:
    mailbox: str
    fetched: int = 0  # messages read from the server
    stored: int = 0  # of those, new (the others were stored before)
    too_large: list[TooLarge] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def problem(self) -> str:
        """What the mailbox's page shows as its last error: the failure, or the messages left behind."""
        if self.error or not self.too_large:
            return self.error
        count = len(self.too_large)
        named = "; ".join(
            ", ".join(filter(None, [message.description, f"{message.size:,} bytes"]))
            for message in self.too_large
            if message.size
        )
        return (
            f"{count} message{'s' if count > 1 else ''} left on the server, larger than the "
            f"{settings.HELPLINE_MAX_EMAIL_BYTES:,} bytes accepted: {named}"
        )

    def summary(self) -> str:
        if self.error:
            return f"failed: {self.error}"
        line = f"fetched {self.fetched}, stored {self.stored}"
        if self.too_large:
            line += f", {len(self.too_large)} left on the server (too large)"
        return line


def fetch_mailbox(mailbox: Mailbox) -> FetchResult:
    """Fetch one batch from ``mailbox`` and record the outcome on it. Never raises for the mailbox's own
    problems (they are the result's error). Precondition: not inside a transaction, so that each message
    is committed before the server is told it was taken."""
    result = FetchResult(mailbox.name)
    more = False
    try:
        more = _fetch(mailbox, result)
    except FetchError as error:
        result.error = str(error)
    except Exception as error:  # noqa: BLE001 - the mailbox records it; the other mailboxes go on
        failure = session_failure(error, mailbox.host, server_port(mailbox))
        if str(failure).startswith("Unexpected"):
            log.exception("Fetching mailbox %s failed", mailbox.name)
        result.error = str(failure)
    _record(mailbox, result, more=more)
    log.log(
        logging.WARNING if result.problem() else logging.INFO,
        "Mailbox %s: %s",
        mailbox.name,
        result.summary(),
    )
    return result


def _open(mailbox: Mailbox) -> Session:
    if not mailbox.fetches:
        raise FetchError("This mailbox is fed by the mail server's pipe, not fetched")
    if not mailbox.host:
        raise FetchError("No mail server is set for this mailbox")
    if mailbox.after_fetch == Mailbox.AfterFetch.MOVE and not mailbox.move_to.strip():
        raise FetchError("No folder is set to move fetched messages to")
    try:
        password = decrypt_password(mailbox.password_encrypted)
    except UnreadablePassword as error:
        raise FetchError(str(error)) from None
    context = None if mailbox.security == Mailbox.Security.NONE else tls_context()
    kind = ImapSession if mailbox.protocol == Mailbox.Protocol.IMAP else Pop3Session
    return kind(mailbox, password, context=context, timeout=settings.HELPLINE_MAIL_TIMEOUT)


def _fetch(mailbox: Mailbox, result: FetchResult) -> bool:
    """Fetch and acknowledge one batch; returns whether more messages wait."""
    session = _open(mailbox)
    try:
        listing = session.listing(
            limit=settings.HELPLINE_MAIL_FETCH_LIMIT, max_bytes=settings.HELPLINE_MAX_EMAIL_BYTES
        )
        result.too_large = listing.too_large
        for message in listing.pending:
            data = session.retrieve(message)
            if data is None:
                continue  # gone meanwhile (another client expunged it)
            result.fetched += 1
            if _store(data, mailbox, result):
                session.acknowledge(message)
        session.finish()
    except BaseException:
        session.close()
        raise
    return listing.more


def _store(data: bytes, mailbox: Mailbox, result: FetchResult) -> bool:
    """Store the message (committed when this returns True) and hand it to the intake unless it was
    processed before; False when it is too large after all, and stays on the server."""
    try:
        # Durable: the row is committed when the block ends, before the server hears of it.
        with transaction.atomic(durable=True):
            raw, new = store.store_raw(data, source=RawMessage.Source(mailbox.protocol), mailbox=mailbox)
    except store.TooLarge:
        result.too_large.append(TooLarge(len(data), describe_headers(data)))
        return False
    result.stored += new
    if raw.status == RawMessage.Status.RECEIVED:  # new, or stored by a fetch that stopped half-way
        try:
            process_stored(raw)
        except Exception:  # noqa: BLE001 - the message is stored; the intake takes it up again later
            log.exception("The intake failed on stored message %s", raw.pk)
    return True


def _record(mailbox: Mailbox, result: FetchResult, *, more: bool) -> None:
    now = timezone.now()
    fields = {
        "last_fetch_at": now,
        "last_error": result.problem(),
        # A full batch leaves more waiting: due again at once rather than after the interval.
        "next_fetch_at": now if more and result.ok else now + timedelta(minutes=mailbox.fetch_every_minutes),
    }
    if result.ok:
        fields["last_success_at"] = now
    Mailbox.objects.filter(pk=mailbox.pk).update(**fields)
    for name, value in fields.items():
        setattr(mailbox, name, value)


# --- Scheduling -----------------------------------------------------------------------------------------


def due_mailboxes() -> QuerySet[Mailbox]:
    """Active fetched mailboxes whose next fetch is due (or was never planned)."""
    due = Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=timezone.now())
    return Mailbox.objects.filter(due, is_active=True).exclude(protocol=Mailbox.Protocol.PIPE)


def claim(mailbox_id: int) -> bool:
    """Take the mailbox for one fetch if it is still due: the conditional UPDATE lets one worker win, and
    the lease keeps the others off it until the fetch records its next due time."""
    return bool(due_mailboxes().filter(pk=mailbox_id).update(next_fetch_at=timezone.now() + LEASE))


def fetch_now(mailbox: Mailbox) -> FetchResult:
    """Fetch whether due or not (``manage.py mail_fetch``), holding the lease meanwhile so that the periodic
    fetch leaves the mailbox alone. A periodic fetch already running goes on: both store each message once."""
    Mailbox.objects.filter(pk=mailbox.pk).update(next_fetch_at=timezone.now() + LEASE)
    return fetch_mailbox(mailbox)

"""Fetching over POP3: messages read with RETR, then deleted (DELE, made final by QUIT) or left on the
server, in which case their unique ids (UIDL) are recorded so that the next fetch skips them."""

import contextlib
import poplib
import ssl

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpline.inbound.fetching.errors import FetchError, connect_failure, describe_headers, text
from helpline.inbound.fetching.session import Listing, Pending, TooLarge, server_port
from helpline.inbound.models import FetchedUid, Mailbox

DESCRIBED = 5


class _LongLines:
    """poplib refuses lines over 2,048 bytes, which real mail has (unwrapped HTML, long headers): allow
    lines as long as a whole message may be."""

    def _getline(self) -> tuple[bytes, int]:
        limit = max(settings.HELPLINE_MAX_EMAIL_BYTES, 2048)
        line = self.file.readline(limit + 1)  # type: ignore[attr-defined]
        if len(line) > limit:
            raise poplib.error_proto("line too long")
        if not line:
            raise poplib.error_proto("-ERR EOF")
        octets = len(line)
        if line[-2:] == b"\r\n":
            return line[:-2], octets
        if line[:1] == b"\r":
            return line[1:-1], octets
        return line[:-1], octets


class POP3(_LongLines, poplib.POP3):
    pass


class POP3_SSL(_LongLines, poplib.POP3_SSL):  # noqa: N801 - named after the class it extends
    pass


class Pop3Session:
    def __init__(
        self, mailbox: Mailbox, password: str, *, context: ssl.SSLContext | None, timeout: float
    ) -> None:
        if mailbox.after_fetch == Mailbox.AfterFetch.MOVE:
            raise FetchError("POP3 has no folders to move messages to: choose to delete them or leave them")
        self.mailbox = mailbox
        self.host = mailbox.host
        self.port = server_port(mailbox)
        self.leave = mailbox.after_fetch == Mailbox.AfterFetch.MARK_READ
        self.client = self._connect(context, timeout)
        try:
            self._sign_in(password)
        except BaseException:
            self.close()
            raise

    def _connect(self, context: ssl.SSLContext | None, timeout: float) -> poplib.POP3:
        try:
            if self.mailbox.security == Mailbox.Security.SSL:
                return POP3_SSL(self.host, self.port, timeout=timeout, context=context)
            client = POP3(self.host, self.port, timeout=timeout)
            if self.mailbox.security == Mailbox.Security.STARTTLS:
                if "STLS" not in client.capa():
                    client.close()
                    raise FetchError(f"{self.host}:{self.port} does not offer STARTTLS (STLS)")
                client.stls(context=context)
            return client
        except OSError as error:
            raise connect_failure(error, self.host, self.port) from None
        except poplib.error_proto as error:
            raise FetchError(
                f"{self.host}:{self.port} is not a POP3 server that answers: {text(error)}"
            ) from None

    def _sign_in(self, password: str) -> None:
        try:
            self.client.user(self.mailbox.username)
            self.client.pass_(password)
        except poplib.error_proto as error:
            raise FetchError(f"Authentication failed for {self.mailbox.username}: {text(error)}") from None

    def listing(self, *, limit: int, max_bytes: int) -> Listing:
        sizes = {}
        for line in self.client.list()[1]:
            number, size = line.split()[:2]
            sizes[number.decode()] = int(size)
        uids = self._unique_ids() if self.leave else {}
        fetched = self._forget_gone(set(uids.values())) if self.leave else set()
        waiting = [number for number in sizes if not self.leave or uids.get(number) not in fetched]
        fitting = [number for number in waiting if sizes[number] <= max_bytes]
        too_large = [number for number in waiting if sizes[number] > max_bytes]
        return Listing(
            pending=[Pending(number, uids.get(number, "")) for number in fitting[:limit]],
            too_large=[
                self._describe(number, sizes[number], index) for index, number in enumerate(too_large)
            ],
            more=len(fitting) > limit,
        )

    def _unique_ids(self) -> dict[str, str]:
        try:
            lines = self.client.uidl()[1]
        except poplib.error_proto:
            raise FetchError(
                f"{self.host}:{self.port} does not tell messages apart (no UIDL), so they cannot be left on "
                "the server: choose to delete them after fetching"
            ) from None
        return dict(line.decode("ascii", "replace").split()[:2] for line in lines)

    def _forget_gone(self, listed: set[str]) -> set[str]:
        """The ids recorded for this mailbox that the server still lists; the others are deleted."""
        recorded = set(FetchedUid.objects.filter(mailbox=self.mailbox).values_list("uid", flat=True))
        gone = list(recorded - listed)
        for start in range(0, len(gone), 500):
            FetchedUid.objects.filter(mailbox=self.mailbox, uid__in=gone[start : start + 500]).delete()
        return recorded & listed

    def _describe(self, number: str, size: int, index: int) -> TooLarge:
        if index >= DESCRIBED:
            return TooLarge(size)
        head = b"\r\n".join(self.client.top(int(number), 0)[1])
        return TooLarge(size, describe_headers(head))

    def retrieve(self, message: Pending) -> bytes | None:
        lines = self.client.retr(int(message.key))[1]
        return b"\r\n".join(lines) + b"\r\n"

    def acknowledge(self, message: Pending) -> None:
        if not self.leave:
            self.client.dele(int(message.key))
            return
        try:
            with transaction.atomic():
                FetchedUid.objects.create(mailbox=self.mailbox, uid=message.uid, fetched_at=timezone.now())
        except IntegrityError:
            pass  # another fetch of this mailbox recorded it first

    def finish(self) -> None:
        self.client.quit()  # deletions take effect only now

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.client.close()

"""Fetching over IMAP: messages read with BODY.PEEK[] (nothing is marked before it is stored), then marked
read, deleted, or moved, by UID, so a message that others expunge meanwhile is never confused with another."""

import base64
import contextlib
import imaplib
import re
import ssl

from helpline.inbound.fetching.errors import FetchError, connect_failure, describe_headers, text
from helpline.inbound.fetching.session import Listing, Pending, TooLarge, server_port
from helpline.inbound.models import Mailbox

AfterFetch = Mailbox.AfterFetch
FETCH_UID = re.compile(rb"\bUID (\d+)")
FETCH_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
# How many of the messages left on the server for their size are named in the mailbox's last error.
DESCRIBED = 5


def mailbox_name(name: str) -> str:
    """A folder name as IMAP takes it: modified UTF-7 (RFC 3501 5.1.3), quoted."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            encoded = base64.b64encode("".join(run).encode("utf-16-be")).decode()
            out.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            run.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            run.append(char)
    flush()
    return '"' + "".join(out).replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapSession:
    def __init__(
        self, mailbox: Mailbox, password: str, *, context: ssl.SSLContext | None, timeout: float
    ) -> None:
        self.mailbox = mailbox
        self.host = mailbox.host
        self.port = server_port(mailbox)
        self._flagged_deleted: list[str] = []
        self.client = self._connect(context, timeout)
        try:
            self._sign_in(password)
            self.capabilities = self._capabilities()
            typ, data = self.client.select(mailbox_name(mailbox.folder))
            if typ != "OK":
                raise FetchError(f"The folder “{mailbox.folder}” cannot be opened: {_said(data)}")
        except BaseException:
            self.close()
            raise

    def _connect(self, context: ssl.SSLContext | None, timeout: float) -> imaplib.IMAP4:
        try:
            if self.mailbox.security == Mailbox.Security.SSL:
                return imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context, timeout=timeout)
            client = imaplib.IMAP4(self.host, self.port, timeout=timeout)
            if self.mailbox.security == Mailbox.Security.STARTTLS:
                if "STARTTLS" not in client.capabilities:
                    client.shutdown()
                    raise FetchError(f"{self.host}:{self.port} does not offer STARTTLS")
                client.starttls(ssl_context=context)
            return client
        except OSError as error:
            raise connect_failure(error, self.host, self.port) from None
        except imaplib.IMAP4.error as error:
            raise FetchError(
                f"{self.host}:{self.port} is not an IMAP server that answers: {text(error)}"
            ) from None

    def _sign_in(self, password: str) -> None:
        username = self.mailbox.username
        if "LOGINDISABLED" in self.client.capabilities:
            raise FetchError(
                f"{self.host}:{self.port} refuses to sign in without TLS: choose STARTTLS or implicit TLS"
            )
        try:
            if (username + password).isascii():
                self.client.login(username, password)
            else:  # LOGIN takes ASCII only; SASL PLAIN carries UTF-8
                credentials = f"\0{username}\0{password}".encode()
                self.client.authenticate("PLAIN", lambda _challenge: credentials)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as error:
            raise FetchError(f"Authentication failed for {username}: {text(error)}") from None

    def _capabilities(self) -> set[str]:
        # Asked again after signing in: servers announce MOVE, UIDPLUS and the like only then.
        typ, data = self.client.capability()
        words = data[0].decode("ascii", "replace").upper().split() if typ == "OK" and data else []
        return set(words)

    def _uid(self, command: str, *args: str) -> list:
        typ, data = self.client.uid(command, *args)
        if typ != "OK":
            raise FetchError(f"{self.host}:{self.port} refused UID {command}: {_said(data)}")
        return data

    def _search(self, criteria: str) -> list[int]:
        data = self._uid("SEARCH", criteria)
        return sorted(int(uid) for uid in b" ".join(part for part in data if part).split())

    def listing(self, *, limit: int, max_bytes: int) -> Listing:
        # Messages marked read are done with when the mailbox marks them read; else every message left.
        criteria = "UNDELETED UNSEEN" if self.mailbox.after_fetch == AfterFetch.MARK_READ else "UNDELETED"
        uids = self._search(f"{criteria} SMALLER {max_bytes + 1}")
        too_large = self._search(f"{criteria} LARGER {max_bytes}")
        return Listing(
            pending=[Pending(str(uid)) for uid in uids[:limit]],
            too_large=self._describe(too_large),
            more=len(uids) > limit,
        )

    def _describe(self, uids: list[int]) -> list[TooLarge]:
        if not uids:
            return []
        named = ",".join(str(uid) for uid in uids[:DESCRIBED])
        found = []
        for item in self._uid("FETCH", named, "(RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])"):
            if isinstance(item, tuple) and (size := FETCH_SIZE.search(item[0])):
                found.append(TooLarge(int(size.group(1)), describe_headers(item[1])))
        return found + [TooLarge(0) for _uid in uids[DESCRIBED:]]

    def retrieve(self, message: Pending) -> bytes | None:
        for item in self._uid("FETCH", message.key, "(BODY.PEEK[])"):
            if (
                isinstance(item, tuple)
                and (uid := FETCH_UID.search(item[0]))
                and uid.group(1) == message.key.encode()
            ):
                return item[1]
        return None

    def acknowledge(self, message: Pending) -> None:
        action = self.mailbox.after_fetch
        if action == AfterFetch.MARK_READ:
            self._uid("STORE", message.key, "+FLAGS.SILENT", r"(\Seen)")
        elif action == AfterFetch.MOVE and "MOVE" in self.capabilities:
            self._into_folder("MOVE", message.key)
        else:
            if action == AfterFetch.MOVE:
                self._into_folder("COPY", message.key)
            self._uid("STORE", message.key, "+FLAGS.SILENT", r"(\Deleted)")
            self._flagged_deleted.append(message.key)

    def _into_folder(self, command: str, uid: str) -> None:
        folder = mailbox_name(self.mailbox.move_to)
        typ, data = self.client.uid(command, uid, folder)
        if typ != "OK" and b"TRYCREATE" in b" ".join(part for part in data if isinstance(part, bytes)):
            # The folder does not exist yet: make it, once.
            made, said = self.client.create(folder)
            if made != "OK":
                raise FetchError(
                    f"The folder “{self.mailbox.move_to}” does not exist and cannot be made: {_said(said)}"
                )
            typ, data = self.client.uid(command, uid, folder)
        if typ != "OK":
            raise FetchError(
                f"Could not move a message to the folder “{self.mailbox.move_to}”: {_said(data)}"
            )

    def finish(self) -> None:
        if self._flagged_deleted:
            if "UIDPLUS" in self.capabilities:  # only the messages this fetch deleted
                self._uid("EXPUNGE", ",".join(self._flagged_deleted))
            else:
                self.client.expunge()
        self.client.logout()

    def close(self) -> None:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            self.client.shutdown()


def _said(data: list) -> str:
    return (
        " ".join(part.decode("utf-8", "replace") for part in data if isinstance(part, bytes))
        or "no reason given"
    )

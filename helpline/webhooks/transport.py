"""Sending one webhook request: to the address the guard checked, within a time limit, no redirects, and
at most a few kilobytes of the answer read.

The limit (HELPLINE_WEBHOOK_TIMEOUT) is for the whole request, not for each read: a socket's timeout
alone lets a receiver that sends a byte every few seconds hold the sender for as long as it likes, past
the lease that keeps other senders off the delivery. A watchdog cuts the connection when the time is up.
"""

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from helpline.webhooks.addresses import Refused, resolve

EXCERPT_BYTES = 2048  # of the answer kept on the attempt's record; the rest is never read
USER_AGENT = "Helpline-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    ok: bool
    status_code: int | None
    elapsed_ms: int
    excerpt: str
    error: str


class _Pinned:
    """Connect to the checked ``addresses``, the first that answers, whatever ``host`` resolves to now; TLS
    still checks the certificate against the host name (http.client wraps the socket with
    ``server_hostname=host``)."""

    def pin(self, addresses: list[str]) -> None:
        def create_connection(_target, timeout, source_address=None):
            failure: OSError | None = None
            for address in addresses:
                try:
                    return socket.create_connection((address, self.port), timeout, source_address)  # type: ignore[attr-defined]
                except OSError as error:
                    failure = error
            assert failure is not None  # resolve() gives at least one address
            raise failure

        self._create_connection = create_connection


class PinnedHTTPConnection(_Pinned, http.client.HTTPConnection):
    pass


class PinnedHTTPSConnection(_Pinned, http.client.HTTPSConnection):
    pass


class _Watchdog:
    """Shuts the connection's socket down after ``seconds``, which ends whatever read or write waits on it."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float) -> None:
        self.fired = False
        self._connection = connection
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def __enter__(self) -> "_Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _cut(self) -> None:
        self.fired = True
        sock = self._connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    started = time.monotonic()
    try:
        status, excerpt = _post(url, body, headers, settings.HELPLINE_WEBHOOK_TIMEOUT)
    except (Refused, OSError, http.client.HTTPException, ValueError) as error:
        return Answer(False, None, _ms(started), "", _text(f"{type(error).__name__}: {error}")[:2000])
    ok = 200 <= status < 300
    refusal = (
        "" if ok else f"HTTP {status}" + (" (redirects are not followed)" if 300 <= status < 400 else "")
    )
    return Answer(ok, status, _ms(started), _text(excerpt), refusal)


def _text(received: str) -> str:
    """What the receiver sent, as a text column keeps it: PostgreSQL's take no NUL."""
    return received.replace("\x00", "")


def _post(url: str, body: bytes, headers: dict[str, str], timeout: int) -> tuple[int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise ValueError("only http and https URLs without credentials are sent to")
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    addresses = resolve(parts.hostname, port)
    connection: PinnedHTTPConnection | PinnedHTTPSConnection
    if https:
        connection = PinnedHTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = PinnedHTTPConnection(parts.hostname, port, timeout=timeout)
    connection.pin(addresses)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    watchdog = _Watchdog(connection, timeout)
    try:
        with watchdog:
            connection.request(
                "POST",
                target,
                body=body,
                headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
            )
            response = connection.getresponse()
            excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
        return response.status, excerpt
    except (OSError, http.client.HTTPException) as error:
        if watchdog.fired:
            raise TimeoutError(f"the receiver took longer than {timeout} s to answer") from error
        raise
    finally:
        connection.close()


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)

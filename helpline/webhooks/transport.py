"""Sending one webhook request: to the address the guard checked, with a timeout, no redirects, and at
most a few kilobytes of the answer read."""

import http.client
import socket
import ssl
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
    """Connect to ``address`` whatever ``host`` resolves to now; TLS still checks the certificate against
    the host name (http.client wraps the socket with ``server_hostname=host``)."""

    def pin(self, address: str) -> None:
        def create_connection(_target, timeout, source_address=None):
            return socket.create_connection((address, self.port), timeout, source_address)  # type: ignore[attr-defined]

        self._create_connection = create_connection


class PinnedHTTPConnection(_Pinned, http.client.HTTPConnection):
    pass


class PinnedHTTPSConnection(_Pinned, http.client.HTTPSConnection):
    pass


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    started = time.monotonic()
    try:
        status, excerpt = _post(url, body, headers, settings.HELPLINE_WEBHOOK_TIMEOUT)
    except (Refused, OSError, http.client.HTTPException, ValueError) as error:
        return Answer(False, None, _ms(started), "", f"{type(error).__name__}: {error}"[:2000])
    ok = 200 <= status < 300
    refusal = (
        "" if ok else f"HTTP {status}" + (" (redirects are not followed)" if 300 <= status < 400 else "")
    )
    return Answer(ok, status, _ms(started), excerpt, refusal)


def _post(url: str, body: bytes, headers: dict[str, str], timeout: int) -> tuple[int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise ValueError("only http and https URLs without credentials are sent to")
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address = resolve(parts.hostname, port)
    connection: PinnedHTTPConnection | PinnedHTTPSConnection
    if https:
        connection = PinnedHTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = PinnedHTTPConnection(parts.hostname, port, timeout=timeout)
    connection.pin(address)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "POST",
            target,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
        )
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
        return response.status, excerpt
    finally:
        connection.close()


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)

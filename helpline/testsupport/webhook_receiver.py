"""Fixtures: a real HTTP receiver on loopback, and webhooks pointed at it (the loopback range allowed for
the test)."""

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helpline.webhooks.models import Webhook
from helpline.webhooks.signing import new_secret


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next status of ``answers`` (200 once they run out), and keeps what came.
    ``bodies``: the next answers' bodies instead of the usual ones; ``gates``: the next answers wait until
    their event is set; ``drip``: seconds between the bytes of every answer (a receiver that stalls);
    ``on_receive``: called (in the receiver's thread) before each answer."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    answers: deque = field(default_factory=deque)
    bodies: deque = field(default_factory=deque)
    gates: deque = field(default_factory=deque)
    drip: float = 0.0
    on_receive: Callable[[], object] | None = None

    @property
    def types(self) -> list[str]:
        return [item.json["type"] for item in self.received]


@pytest.fixture
def receiver(settings):
    settings.HELPLINE_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            gate = state.gates.popleft() if state.gates else None
            if state.on_receive is not None:
                state.on_receive()
            state.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            status = state.answers.popleft() if state.answers else 200
            answer = b"ok" if status < 300 else b"receiver is down " * 500
            answer = state.bodies.popleft() if state.bodies else answer
            if gate is not None:
                gate.wait(30)
            if state.drip:
                self._drip(status, answer)
                return
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def _drip(self, status: int, answer: bytes) -> None:
            whole = f"HTTP/1.1 {status} OK\r\nContent-Length: {len(answer)}\r\n\r\n".encode() + answer
            for byte in whole:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:  # the sender hung up
                    return
                time.sleep(state.drip)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/helpline?from=test"
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


ALL_EVENTS = [
    "ticket.created",
    "ticket.message",
    "ticket.response",
    "ticket.note",
    "ticket.assigned",
    "ticket.transferred",
    "ticket.status_changed",
    "ticket.overdue",
    "ticket.closed",
    "ticket.merged",
]


@pytest.fixture
def make_hook(db, receiver):
    def make(events=("ticket.response",), **fields) -> Webhook:
        values = {"name": "CRM", "url": receiver.url, "events": list(events), "secret": new_secret()}
        return Webhook.objects.create(**values | fields)

    return make

"""A real SMTP server for the tests (aiosmtpd on a free local port) that keeps every message it accepts,
and the ``MAILERS`` setting that sends Helpline's mail to it."""

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


class Collector:
    """An SMTP handler keeping every envelope it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        """What arrived, parsed as a mail reader would."""
        return [message_from_bytes(e.original_content, policy=policy.default) for e in self.envelopes]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_mailers(port: int) -> dict:
    options = {"host": "127.0.0.1", "port": port, "timeout": 5}
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}


@pytest.fixture
def smtp_server():
    collector = Collector()
    # Port 0 would fail the controller's readiness check: pick a free port first.
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def smtp_inbox(smtp_server, settings) -> Collector:
    """Helpline's mail goes to the SMTP server; what it accepted is read back from here."""
    settings.MAILERS = smtp_mailers(smtp_server.port)
    return smtp_server.handler

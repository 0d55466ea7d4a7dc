"""What the administration area's tests share: a signed-in administrator, and mailboxes and received
messages made as the intake makes them."""

from datetime import timedelta
from itertools import count

import pytest
from django.forms import CheckboxInput
from django.test import Client
from django.utils import timezone

from helpline.inbound.models import Mailbox, RawMessage
from helpline.inbound.store import store_raw

_numbers = count(1)


@pytest.fixture
def admin_client(ada):
    client = Client()
    client.force_login(ada.user)
    return client


@pytest.fixture
def make_mailbox(support):
    def make(**fields) -> Mailbox:
        n = next(_numbers)
        values = {"name": f"Mailbox {n}", "address": f"desk{n}@example.test", "department": support} | fields
        return Mailbox.objects.create(**values)

    return make


def message_bytes(
    n: int, subject: str = "", sender: str = "rita@example.test", body: bytes = b"Hello"
) -> bytes:
    return (
        f"From: Rita <{sender}>\r\nTo: desk@example.test\r\nMessage-ID: <m{n}@example.test>\r\n"
        f"Subject: {subject or f'Message {n}'}\r\n\r\n"
    ).encode() + body


@pytest.fixture
def make_raw(db):
    """A stored message (``store_raw``, as the pipe and the fetcher store them), then in ``status`` with the
    sender and subject the intake fills in, received ``minutes_ago``."""

    def make(
        status: str = RawMessage.Status.REJECTED,
        *,
        data: bytes | None = None,
        minutes_ago: int = 0,
        **fields,
    ) -> RawMessage:
        n = next(_numbers)
        raw, _ = store_raw(
            data or message_bytes(n), source=RawMessage.Source.PIPE, mailbox=fields.pop("mailbox", None)
        )
        values = {
            "status": status,
            "sender": "rita@example.test",
            "subject": f"Message {n}",
            "received_at": timezone.now() - timedelta(minutes=minutes_ago),
        } | fields
        RawMessage.objects.filter(pk=raw.pk).update(**values)
        return RawMessage.objects.get(pk=raw.pk)

    return make


def submitted(*forms) -> dict:
    """What a browser posts for these forms (and formsets) as the page shows them, nothing changed: each
    field's value, a ticked box as "on", an unticked one left out."""
    data: dict = {}
    for form in forms:
        parts = [form.management_form, *form.forms] if hasattr(form, "management_form") else [form]
        for part in parts:
            for field in part:
                value = field.value()
                if isinstance(field.field.widget, CheckboxInput):
                    if value:
                        data[field.html_name] = "on"
                elif isinstance(value, list | tuple):
                    data[field.html_name] = [str(item) for item in value]
                elif value is not None:
                    data[field.html_name] = str(value)
    return data

"""Mangled mail through the whole intake: it never raises past its boundary, and the raw message is always
kept, whatever became of it (a ticket, a reply, a refusal with its reason)."""

import pytest
from hypothesis import HealthCheck, given, settings

from helpline.inbound.intake import Outcome, receive_email
from helpline.inbound.models import Mailbox, RawMessage
from helpline.inbound.store import TooLarge, dedupe_key, received_message_id
from helpline.inbound.tests.test_mangled import mangled


@pytest.fixture
def desk(support):
    return Mailbox.objects.get_or_create(
        address="support@desk.example.test",
        defaults={"name": "Support desk", "department": support, "is_default": True},
    )[0]


@settings(
    max_examples=80,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(data=mangled())
def test_mangled_mail_is_kept_and_never_breaks_the_intake(desk, data):
    try:
        result = receive_email(data, source="pipe")
    except TooLarge:
        return  # refused before storing, as the pipe tells the mail server
    raw = RawMessage.objects.get(pk=result.raw.pk)
    if result.outcome == Outcome.DUPLICATE:
        # The same Message-ID (or bytes) as a message kept before, another mangling of one file: one message.
        assert raw.dedupe_key == dedupe_key(data, received_message_id(data))
        return
    assert bytes(raw.data) == data
    assert result.outcome != Outcome.FAILED, result.reason  # a refusal has a reason; nothing crashed
    assert raw.status in (RawMessage.Status.PROCESSED, RawMessage.Status.REJECTED)
    if raw.status == RawMessage.Status.REJECTED:
        assert raw.reason

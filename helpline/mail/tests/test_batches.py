"""Sending a lot of outbox rows at once keeps each row's guarantees: sent once, a failure recorded and
retried on its own, a sender that dies half-way leaves the rest to come due again, held addresses held."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from helpline.mail.batches import deliver_batch
from helpline.mail.models import BouncingAddress, OutboundEmail
from helpline.mail.outbox import LEASE, claim, queue_email
from helpline.mail.tasks import retry_due_emails

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
ADDRESSES = ["ana@example.test", "ben@example.test", "cy@example.test", "dee@example.test"]


class Crash(BaseException):
    """What a killed worker looks like to the code it was running: nothing after it runs."""


class FlakyBackend(LocmemBackend):
    """Refuses mail to the addresses in ``refused``; dies (the process killed) at ``crash_at``'s; counts
    its connections."""

    opened = 0
    refused: set[str] = set()
    crash_at = ""

    def open(self):
        FlakyBackend.opened += 1
        return super().open()

    def send_messages(self, messages):
        for message in messages:
            if message.to[0] in FlakyBackend.refused:
                raise ConnectionResetError("Connection reset by peer")
            if message.to == [FlakyBackend.crash_at]:
                raise Crash
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FlakyBackend"}}
    FlakyBackend.opened, FlakyBackend.refused, FlakyBackend.crash_at = 0, {"ben@example.test"}, ""
    mail.outbox = []
    return FlakyBackend


def queue(*addresses: str) -> list[int]:
    """One outbox row per address, as stored rows whose delivery nobody ran yet."""
    return [
        queue_email(to=[address], subject=f"To {address}", body_text="Body", reason="test").pk
        for address in addresses
    ]


def statuses(ids: list[int]) -> list[tuple[str, int]]:
    rows = OutboundEmail.objects.in_bulk(ids)
    return [(rows[pk].status, rows[pk].attempts) for pk in ids]


@pytest.mark.django_db
def test_a_lot_goes_out_over_one_connection_and_each_row_once(flaky):
    with time_machine.travel(T0, tick=False):
        ids = queue("ana@example.test", "cy@example.test", "dee@example.test")
        assert deliver_batch(ids) == 3
        assert deliver_batch(ids) == 0
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@example.test",
        "cy@example.test",
        "dee@example.test",
    ]
    assert statuses(ids) == [("sent", 1)] * 3
    sent = OutboundEmail.objects.filter(pk__in=ids)
    assert {(row.sent_at, row.next_attempt_at) for row in sent} == {(T0, None)}
    assert flaky.opened == 1


@pytest.mark.django_db
def test_a_row_another_sender_holds_is_left_to_it(flaky):
    with time_machine.travel(T0, tick=False):
        ids = queue("ana@example.test", "cy@example.test")
        assert claim(ids[0]) is not None  # another worker took it
        assert deliver_batch(ids) == 1
    assert [message.to for message in mail.outbox] == [["cy@example.test"]]
    assert statuses(ids) == [("pending", 0), ("sent", 1)]


@pytest.mark.django_db
def test_a_failed_row_is_recorded_and_retried_without_holding_back_the_others(flaky):
    with time_machine.travel(T0, tick=False):
        ids = queue(*ADDRESSES)
        assert deliver_batch(ids) == 3
    failed = OutboundEmail.objects.get(pk=ids[1])
    assert (failed.status, failed.attempts, failed.next_attempt_at) == (
        "pending",
        1,
        T0 + timedelta(minutes=2),
    )
    assert "Connection reset" in failed.last_error
    assert statuses([ids[0], ids[2], ids[3]]) == [("sent", 1)] * 3
    # The rows after the failure went over a connection opened again.
    assert flaky.opened == 2
    flaky.refused = set()  # ben's server is back
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        assert retry_due_emails.call_local() == 1
    assert statuses([ids[1]]) == [("sent", 2)]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(ADDRESSES)


@pytest.mark.django_db
def test_a_sender_killed_half_way_leaves_the_rest_to_come_due(flaky):
    flaky.crash_at = "cy@example.test"
    with time_machine.travel(T0, tick=False):
        ids = queue("ana@example.test", "cy@example.test", "dee@example.test")
        with pytest.raises(Crash):
            deliver_batch(ids)
        # What went out before is on the record; the rest stays claimed until the lease runs out.
        assert statuses(ids) == [("sent", 1), ("pending", 0), ("pending", 0)]
        assert retry_due_emails.call_local() == 0
    flaky.crash_at = ""
    with time_machine.travel(T0 + LEASE, tick=False):
        assert retry_due_emails.call_local() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@example.test",
        "cy@example.test",
        "dee@example.test",
    ]
    assert statuses(ids) == [("sent", 1)] * 3


@pytest.mark.django_db
def test_mail_to_an_address_that_keeps_bouncing_is_held_back(flaky):
    BouncingAddress.objects.create(
        address="cy@example.test", bounces=3, held_since=T0, last_bounce_at=T0, last_status="5.1.1"
    )
    with time_machine.travel(T0, tick=False):
        ids = queue("ana@example.test", "cy@example.test")
        assert deliver_batch(ids) == 1
    held = OutboundEmail.objects.get(pk=ids[1])
    assert held.status == "held" and "cy@example.test bounced 3 times" in held.last_error
    assert [message.to for message in mail.outbox] == [["ana@example.test"]]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 8])
def test_a_lot_costs_its_reads_once_and_one_update_a_row(flaky, count, django_assert_num_queries):
    with time_machine.travel(T0, tick=False):
        ids = queue(*[f"person{n}@example.test" for n in range(count)])
        # The claim (one transaction: a select, an update), the held addresses, then one UPDATE per row
        # sent, so that a crash re-sends none of those before it.
        with django_assert_num_queries(5 + count, exact=False):
            assert deliver_batch(ids) == count

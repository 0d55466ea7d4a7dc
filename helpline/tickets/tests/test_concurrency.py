"""Two agents acting on one ticket at the same moment: each change survives, each event is recorded.

These tests use real threads, each with its own database connection, and commit for real."""

import threading

import pytest
from django.db import connection, transaction

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.people.requesters import Contact
from helpline.testsupport.threads import at_the_same_moment
from helpline.tickets.actions import (
    Routing,
    add_note,
    assign_ticket,
    intake,
    post_reply,
    receive_ticket,
    set_priority,
    set_status,
)
from helpline.tickets.models import EntryKind, Event, Source, Ticket
from helpline.tickets.policy import TooManyOpenTickets

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def at_once(ticket, *calls):
    """Run each call at the same moment on its own copy of the ticket as loaded beforehand (as two
    requests would have it)."""
    copies = [Ticket.objects.get(pk=ticket.pk) for _ in calls]
    at_the_same_moment(
        [lambda call=call, copy=copy: call(copy) for call, copy in zip(calls, copies, strict=True)]
    )


def test_a_priority_change_and_an_assignment_at_once_both_stick(ticket, sam, ada):
    high = Priority.objects.get(name="High")
    at_once(
        ticket,
        lambda copy: set_priority(actor=sam, ticket=copy, priority=high),
        lambda copy: assign_ticket(actor=ada, ticket=copy, agent=sam),
    )
    ticket.refresh_from_db()
    assert ticket.priority == high and ticket.assignee == sam
    recorded = set(ticket.entries.filter(kind=EntryKind.EVENT).values_list("event", flat=True))
    assert {Event.PRIORITY, Event.ASSIGNED} <= recorded


def test_two_replies_at_once_are_both_kept(ticket, sam, lena):
    at_once(
        ticket,
        lambda copy: post_reply(actor=sam, ticket=copy, body="From Sam"),
        lambda copy: post_reply(actor=lena, ticket=copy, body="From Lena"),
    )
    ticket.refresh_from_db()
    replies = ticket.entries.filter(kind=EntryKind.RESPONSE)
    assert set(replies.values_list("body_text", flat=True)) == {"From Sam", "From Lena"}
    assert ticket.first_response_at == min(replies.values_list("created_at", flat=True))
    assert ticket.last_response_at == max(replies.values_list("created_at", flat=True))


def test_many_changes_at_once_lose_nothing(ticket, sam, lena, ada):
    low = Priority.objects.get(name="Low")
    at_once(
        ticket,
        lambda copy: set_priority(actor=ada, ticket=copy, priority=low),
        lambda copy: assign_ticket(actor=sam, ticket=copy, agent=lena),
        lambda copy: post_reply(actor=sam, ticket=copy, body="one"),
        lambda copy: post_reply(actor=lena, ticket=copy, body="two"),
    )
    ticket.refresh_from_db()
    assert ticket.priority == low and ticket.assignee == lena
    assert ticket.entries.filter(kind=EntryKind.RESPONSE).count() == 2
    assert ticket.first_response_at is not None


def test_clashing_numbers_stay_unique_when_opened_at_once(open_for, rita, support_topic, monkeypatch):
    taken_ticket = open_for(rita, support_topic)
    taken = taken_ticket.number
    lock = threading.Lock()
    fresh = iter(range(90_000_001, 90_000_100))
    first_draw_done = set()

    def next_number():
        # Each thread first draws the taken number, then fresh ones.
        with lock:
            if threading.get_ident() not in first_draw_done:
                first_draw_done.add(threading.get_ident())
                return taken
            return str(next(fresh))

    monkeypatch.setattr(intake, "new_ticket_number", next_number)
    at_once(taken_ticket, *[lambda _: open_for(rita, support_topic) for _ in range(3)])
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == 4 == len(set(numbers))


def wait_until_blocked(thread: threading.Thread, started: threading.Event) -> None:
    """Return once the other thread waits for the ticket's lock. On PostgreSQL the server says so; SQLite
    serializes whole transactions, so there it is enough that the thread has started its action."""
    assert started.wait(timeout=10)
    if connection.vendor != "postgresql":
        return
    for _ in range(1000):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
        assert thread.is_alive()
        threading.Event().wait(0.01)
    raise AssertionError("the second action never waited for the lock")


def test_a_note_waiting_on_a_status_change_is_kept(ticket, sam, lena):
    """The lock is taken on the ticket row alone: on PostgreSQL a locking query that also joined the status
    re-checked the join after the status changed under it, matched nothing, and the note failed."""
    pending = TicketStatus.default_for(State.PENDING)
    changed, started, release = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def change_status_and_hold():
        try:
            with transaction.atomic():
                set_status(actor=sam, ticket=Ticket.objects.get(pk=ticket.pk), status=pending)
                changed.set()
                assert release.wait(timeout=10)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    def note():
        try:
            assert changed.wait(timeout=10)
            copy = Ticket.objects.get(pk=ticket.pk)
            started.set()
            add_note(actor=lena, ticket=copy, body="Noted while it changed")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    holder, writer = threading.Thread(target=change_status_and_hold), threading.Thread(target=note)
    holder.start()
    writer.start()
    try:
        wait_until_blocked(writer, started)
    finally:
        release.set()
        holder.join(timeout=30)
        writer.join(timeout=30)
    assert not errors, errors
    ticket.refresh_from_db()
    assert ticket.state == State.PENDING
    assert ticket.entries.filter(kind=EntryKind.NOTE, body_text="Noted while it changed").exists()


def test_the_open_ticket_limit_holds_when_requests_arrive_at_once(rita, support_topic, settings):
    settings.HELPLINE_MAX_OPEN_TICKETS = 5
    contact = Contact(email=rita.email, name=rita.name)
    barrier = threading.Barrier(12)
    outcomes = []

    def open_one(n):
        try:
            barrier.wait(timeout=10)
            receive_ticket(
                sender=contact,
                channel=Source.WEB,
                subject=f"Ticket {n}",
                body="x",
                routing=Routing(topic=support_topic),
            )
            outcomes.append("opened")
        except TooManyOpenTickets:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=open_one, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["opened"] * 5 + ["refused"] * 7
    assert Ticket.objects.filter(requester=rita).count() == 5

"""The task queue really queues: with Huey out of immediate mode, work waits in its storage until a worker
takes it. These tests commit for real, as the web process and a worker would."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from helpline.mail.models import OutboundEmail
from helpline.mail.outbox import queue_email
from helpline.testsupport.task_queue import run_next
from helpline.tickets.actions import add_note, post_message, post_reply
from helpline.tickets.models import SearchDocument
from helpline.tickets.search import search_tickets

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_email_waits_in_the_queue_until_a_worker_runs_it(queue, mailoutbox):
    email = queue_email(to=["rita@example.test"], subject="Hello", body_text="Body", reason="test")
    assert queue.pending_count() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.PENDING, 0) and mailoutbox == []
    task = run_next(queue)
    assert task.name.endswith("deliver_emails_task") and task.args == ([email.pk],)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and len(mailoutbox) == 1
    assert queue.pending_count() == 0


def test_a_reply_is_notified_delivered_and_indexed_by_one_queued_task(ticket, sam, queue, mailoutbox):
    mailoutbox.clear()
    post_reply(actor=sam, ticket=ticket, body="Unplug the scanner.")
    assert queue.pending_count() == 1  # the notification and the search text, once the reply committed
    assert mailoutbox == [] and list(search_tickets(sam, "scanner")) == []
    # The task stores the email and sends it once that has committed, then builds the ticket's text.
    task = run_next(queue)
    assert task.name.endswith("deliver_notifications_task") and task.args[1] == [ticket.pk]
    assert queue.pending_count() == 0
    assert [mail.to for mail in mailoutbox] == [["rita@example.test"]]
    assert OutboundEmail.objects.get(reason="response").status == OutboundEmail.Status.SENT
    assert set(search_tickets(sam, "scanner")) == {ticket}


def test_a_change_that_tells_nobody_queues_its_search_text_alone(ticket, sam, queue):
    add_note(actor=sam, ticket=ticket, body="Ordered a new fuser.")
    assert queue.pending_count() == 1
    task = run_next(queue)
    assert task.name.endswith("index_tickets_task") and task.args == ([ticket.pk],)
    assert set(search_tickets(sam, "fuser")) == {ticket}


def test_a_change_rolled_back_hands_over_nothing_and_the_next_one_hands_over_its_own(ticket, sam, queue):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        post_reply(actor=sam, ticket=ticket, body="Never sent.")
        raise ZeroDivisionError
    assert queue.pending_count() == 0
    with transaction.atomic():
        add_note(actor=sam, ticket=ticket, body="Kept.")
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            post_reply(actor=sam, ticket=ticket, body="Rolled back with its savepoint.")
            raise ZeroDivisionError
    assert queue.pending_count() == 1
    assert run_next(queue).name.endswith("index_tickets_task")
    assert OutboundEmail.objects.filter(reason="response").count() == 0
    assert set(search_tickets(sam, "kept")) == {ticket}
    assert list(search_tickets(sam, "savepoint")) == []


def test_a_notification_task_delivers_those_waiting_behind_it(ticket, rita, queue, mailoutbox):
    mailoutbox.clear()
    for body in ("Any news?", "Still broken."):
        post_message(actor=rita, ticket=ticket, body=body)
    assert queue.pending_count() == 2  # each message's notification and search text
    assert run_next(queue).name.endswith("deliver_notifications_task")
    # The second message's notification was delivered with the first, in order.
    first, second = mailoutbox
    assert ("Any news?" in first.body, "Still broken." in second.body) == (True, True)
    assert run_next(queue).name.endswith("deliver_notifications_task")
    assert len(mailoutbox) == 2 and queue.pending_count() == 0


@pytest.fixture
def other_ticket(open_for, rita, support_topic):
    return open_for(rita, support_topic, subject="Scanner jammed", body="The scanner is jammed.")


def test_the_lot_builds_the_search_text_of_the_tickets_it_took(ticket, other_ticket, rita, sam, queue):
    post_message(actor=rita, ticket=ticket, body="The toner smells burnt.")
    post_message(actor=rita, ticket=other_ticket, body="Paper is stuck in the feeder.")
    assert run_next(queue).name.endswith("deliver_notifications_task")
    # The second ticket's message is found before its own task has run...
    assert set(search_tickets(sam, "feeder")) == {other_ticket}
    built = SearchDocument.objects.get(ticket=other_ticket).indexed_at
    # ...which then finds its text current and leaves it be.
    assert run_next(queue).name.endswith("deliver_notifications_task")
    assert SearchDocument.objects.get(ticket=other_ticket).indexed_at == built
    assert queue.pending_count() == 0


def test_the_tasks_a_lot_did_the_work_of_read_and_take_no_write_lock(ticket, other_ticket, rita, queue):
    """On SQLite every transaction takes the write lock at BEGIN: the tasks that find their work done by an
    earlier lot (most of them, under load) answer from plain reads instead of queueing for it."""
    post_message(actor=rita, ticket=ticket, body="The toner smells burnt.")
    post_message(actor=rita, ticket=other_ticket, body="Paper is stuck in the feeder.")
    run_next(queue)  # the first ticket's task, whose lot took the second's too
    with CaptureQueriesContext(connection) as ran:
        assert run_next(queue).name.endswith("deliver_notifications_task")
    assert [query["sql"].split()[0] for query in ran.captured_queries] == ["SELECT", "SELECT"]
    assert not any("FOR UPDATE" in query["sql"] for query in ran.captured_queries)
    assert queue.pending_count() == 0

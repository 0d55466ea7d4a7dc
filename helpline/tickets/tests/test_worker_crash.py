"""A real task-queue worker (``manage.py run_huey``) that dies or is stopped while it delivers a notification.

The worker runs as a separate process on this test's database and a task queue of its own. While it works on
the notification, the test holds the notification's row, so the worker is caught in the middle; then it is
killed (SIGKILL) or stopped (SIGTERM). Killed, it loses the task, and the sweep later delivers the notification
exactly once; stopped, it finishes what it holds before it exits."""

import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.utils import timezone

from helpline.mail.models import OutboundEmail
from helpline.testsupport.other_process import production_env
from helpline.tickets.actions import post_reply
from helpline.tickets.models import Notification
from helpline.tickets.notifications import SWEEP_GRACE, deliver_notifications, due_notifications
from helpline.tickets.tasks import deliver_notifications_task

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def worker(tmp_path, queue):
    """Start ``run_huey`` on the test database; stop it however the test has not."""
    env = production_env(tmp_path, EMAIL_URL=f"file://{tmp_path / 'mail'}", HUEY_IMMEDIATE="0")
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        """Start the worker and return once it has started consuming (its checks done)."""
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", "run_huey", "--workers", "1", "--no-periodic"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        log = []
        for line in process.stderr:
            log.append(line)
            if "consumer started" in line.lower():
                # Keep the pipe drained, and what the worker says at hand for a failing test.
                threading.Thread(target=lambda: log.extend(process.stderr), daemon=True).start()
                process.log = log  # type: ignore[attr-defined]
                return process
        raise AssertionError("the worker did not start:\n" + "".join(log))

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


class RowHeld:
    """Hold a notification's row (PostgreSQL) or the database's write lock (SQLite) from another thread."""

    def __init__(self, notification_id: int):
        self.notification_id = notification_id
        self.held, self.release, self.done = threading.Event(), threading.Event(), threading.Event()

    def __enter__(self):
        threading.Thread(target=self._hold, daemon=True).start()
        assert self.held.wait(timeout=10)
        return self

    def _hold(self):
        try:
            with transaction.atomic():
                list(Notification.objects.select_for_update().filter(pk=self.notification_id))
                if connection.vendor == "sqlite":  # take the write lock now, as IMMEDIATE does
                    Notification.objects.filter(pk=self.notification_id).update(last_error="")
                self.held.set()
                assert self.release.wait(timeout=60)
        finally:
            connections.close_all()
            self.done.set()

    def __exit__(self, *exc):
        self.release.set()
        assert self.done.wait(timeout=30)


def wait_until_taken(queue, process) -> None:
    """The worker has taken the task off the queue (and so holds it)."""
    for _ in range(3000):
        if queue.pending_count() == 0:
            return
        assert process.poll() is None, "the worker died:\n" + "".join(process.log)
        threading.Event().wait(0.01)
    raise AssertionError("the worker never took the task:\n" + "".join(process.log))


def wait_until_shutting_down(process) -> None:
    for _ in range(3000):
        if process.poll() is not None or any("Shutting down" in line for line in process.log):
            return
        threading.Event().wait(0.01)
    raise AssertionError("the worker ignored SIGTERM:\n" + "".join(process.log))


def reply(ticket, sam, queue) -> Notification:
    """A reply whose notification is recorded; the task its commit queued is taken back, for the test to
    queue again once the worker is up and the row is held."""
    entry = post_reply(actor=sam, ticket=ticket, body="Unplug it.")
    assert queue.pending_count() == 1  # the notification, with the search text
    queue.flush()
    return Notification.objects.get(entry=entry)


def test_a_worker_killed_mid_notification_loses_nothing(ticket, sam, queue, worker, mailoutbox):
    mailoutbox.clear()
    owed = reply(ticket, sam, queue)
    process = worker()
    with RowHeld(owed.pk):
        deliver_notifications_task([owed.pk])
        wait_until_taken(queue, process)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    owed.refresh_from_db()
    assert owed.status == Notification.Status.PENDING and queue.pending_count() == 0  # the task is gone
    assert not OutboundEmail.objects.filter(reason="response").exists()
    # The sweep, once the grace period is over, delivers it, once.
    with time_machine.travel(timezone.now() + SWEEP_GRACE + timedelta(seconds=1)):
        assert owed.pk in due_notifications()
        assert deliver_notifications(due_notifications()) == 1
        assert deliver_notifications(due_notifications()) == 0
    owed.refresh_from_db()
    assert owed.status == Notification.Status.DONE
    assert list(OutboundEmail.objects.filter(reason="response").values_list("to", flat=True)) == [
        ["rita@example.test"]
    ]


def test_a_worker_stopped_with_sigterm_finishes_what_it_holds(ticket, sam, queue, worker):
    owed = reply(ticket, sam, queue)
    process = worker()
    with RowHeld(owed.pk):
        deliver_notifications_task([owed.pk])
        wait_until_taken(queue, process)
        process.send_signal(signal.SIGTERM)
        wait_until_shutting_down(process)  # still holding the task: the row is not released yet
    assert process.wait(timeout=60) == 0
    owed.refresh_from_db()
    assert owed.status == Notification.Status.DONE
    assert OutboundEmail.objects.filter(reason="response", to=["rita@example.test"]).count() == 1

"""SQLite write transactions queue for the write lock (``core.sqlite``): a second one waits for the first
to end and goes ahead the moment it does; one that waits longer than the connection's timeout fails as
SQLite's busy handler would, and leaves nothing held behind. Each test has its own database file with
the settings' options, whatever database the suite runs on."""

import fcntl
import os
import threading
import time

import pytest
from django.db import OperationalError, connections, transaction

from helpline.core.sqlite.base import open_writer_queue as queue_file


def write(alias: str, who: str, hold: float = 0.0, started: threading.Event | None = None) -> None:
    """One transaction that logs ``who`` and holds the lock ``hold`` seconds more; closes its thread's
    connection at the end, as a request's end does."""
    try:
        with transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute("INSERT INTO log VALUES (%s, %s)", [who, time.monotonic()])
            if started:
                started.set()
            time.sleep(hold)
    finally:
        if threading.current_thread() is not threading.main_thread():
            connections[alias].close()


def logged(alias: str) -> list[str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT who FROM log ORDER BY at")
        return [row[0] for row in cursor.fetchall()]


def in_thread(target, *args) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run():
        try:
            target(*args)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def queue_is_free(alias: str) -> bool:
    """Whether another program could take the writers' queue now."""
    with open(f"{connections[alias].settings_dict['NAME']}-writer") as queue:
        try:
            fcntl.flock(queue, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(queue, fcntl.LOCK_UN)
        return True


def becomes_free(alias: str, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while not queue_is_free(alias):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_write_transaction_holds_the_queue_until_it_ends(queued):
    with transaction.atomic(using=queued):
        write(queued, "inside")
        assert not queue_is_free(queued)
    assert queue_is_free(queued)
    with pytest.raises(ZeroDivisionError), transaction.atomic(using=queued):
        assert not queue_is_free(queued)
        raise ZeroDivisionError
    assert queue_is_free(queued)


def test_a_second_writer_waits_for_the_first_and_goes_ahead_when_it_ends(queued):
    holding = threading.Event()
    first, first_errors = in_thread(write, queued, "first", 0.5, holding)
    assert holding.wait(5)
    asked = time.monotonic()
    write(queued, "second")
    waited = time.monotonic() - asked
    first.join()
    assert first_errors == []
    assert logged(queued) == ["first", "second"]
    assert 0.3 < waited < 5


def test_a_writer_that_waits_past_its_timeout_is_refused_and_holds_nothing(queued):
    connections.settings[queued]["OPTIONS"] = {**connections.settings[queued]["OPTIONS"], "timeout": 0.3}
    connections[queued].settings_dict["OPTIONS"] = connections.settings[queued]["OPTIONS"]
    holding = threading.Event()
    first, first_errors = in_thread(write, queued, "first", 1.0, holding)
    assert holding.wait(5)
    with pytest.raises(OperationalError, match="database is locked"):
        write(queued, "refused")
    first.join()
    assert first_errors == []
    # The abandoned wait takes its turn when the first ends, and lets go at once (on its own thread).
    assert becomes_free(queued)
    # The abandoned wait let go once it got its turn: this connection and another write again.
    write(queued, "after")
    other, other_errors = in_thread(write, queued, "other")
    other.join(5)
    assert other_errors == [] and not other.is_alive()
    assert logged(queued) == ["first", "after", "other"]


def waiting_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "sqlite-writer-queue"]


def test_a_connection_waits_on_one_thread_however_often_and_it_ends_with_the_connection(queued):
    """Starting a thread for each wait cost every contended transaction; the one kept is let go with its
    connection."""
    before = set(waiting_threads())
    for turn in range(3):
        holding = threading.Event()
        first, first_errors = in_thread(write, queued, f"first {turn}", 0.2, holding)
        assert holding.wait(5)
        write(queued, f"second {turn}")
        first.join()
        assert first_errors == []
    kept = [thread for thread in waiting_threads() if thread not in before]
    assert len(kept) == 1 and kept[0].is_alive()
    assert logged(queued)[-2:] == ["first 2", "second 2"]
    connections[queued].close()
    kept[0].join(5)
    assert not kept[0].is_alive()


def test_a_rolled_back_writer_lets_the_next_one_in(queued):
    with pytest.raises(ZeroDivisionError), transaction.atomic(using=queued):
        write(queued, "rolled back")
        raise ZeroDivisionError
    other, errors = in_thread(write, queued, "next")
    other.join(5)
    assert errors == [] and not other.is_alive()
    assert logged(queued) == ["next"]


def test_the_queue_takes_the_databases_permissions_and_a_file_it_cannot_open_leaves_sqlite_to_it(
    tmp_path, caplog
):
    """Made as SQLite makes its -wal and -shm files, so the web and the worker both open it; where it
    cannot be made, transactions go ahead on SQLite's own lock."""
    database = tmp_path / "shared.sqlite3"
    database.touch(mode=0o660)
    database.chmod(0o660)
    queue = queue_file(database)
    assert os.stat(queue).st_mode & 0o777 == 0o660 & ~current_umask()
    os.close(queue)
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "locked.sqlite3-writer").mkdir()  # where the file would go, something it cannot open
    assert queue_file(blocked / "locked.sqlite3") == -1
    assert "SQLite writers do not queue" in caplog.text


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

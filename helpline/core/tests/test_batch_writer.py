"""The batch writer (``core.sqlite.batching``, ``batch_writer``): calls sent to it run in its lots, one
transaction a lot and a savepoint a call; a call that fails there, or a lot that cannot start, runs in the
caller instead; nothing runs twice. Each test has its own SQLite database and its own writer, whatever
database the suite runs on (the doors' use of it: ``api/tests/test_batch_writer_doors.py``)."""

import os
import shutil
import socket
import tempfile
import threading
import time
from contextvars import ContextVar

import pytest
from django.db import connections, transaction

from helpline.config.settings import DATABASES
from helpline.core.sqlite import batching
from helpline.core.sqlite.batch_writer import BatchWriter

where: ContextVar[str | None] = batching.carries(ContextVar("test_batch_writer_where", default=None))


@batching.batched
def log_entry(*, alias: str, who: str, fail: bool = False, result=None, unpicklable: bool = False) -> dict:
    """Log ``who`` in its own transaction (or savepoint), and say where it ran."""
    with transaction.atomic(using=alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("INSERT INTO log VALUES (%s, %s)", [who, time.monotonic()])
        if fail:
            raise ValueError(f"{who} failed")
    if unpicklable and threading.current_thread() is not threading.main_thread():
        result = threading.Lock()  # in the writer's thread: a result it cannot send back
    return {"thread": threading.get_ident(), "where": where.get(), "result": result}


def not_batched(*, alias: str, who: str) -> dict:
    return log_entry(alias=alias, who=who)


def logged(alias: str) -> list[str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT who FROM log ORDER BY who")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def alias(django_db_blocker):
    """A new SQLite database with Helpline's backend (a lock timeout of 2 s), in a short path: the writer's
    socket sits beside it, and a socket's path is short."""
    directory = tempfile.mkdtemp(prefix="bw-")
    name = "batched"
    options = {"transaction_mode": "IMMEDIATE", "timeout": 2, "init_command": "PRAGMA journal_mode=WAL;"}
    if DATABASES["default"]["ENGINE"] == "helpline.core.sqlite":
        options = DATABASES["default"]["OPTIONS"] | {"timeout": 2}
    database = {"ENGINE": "helpline.core.sqlite", "NAME": f"{directory}/b.sqlite3", "OPTIONS": options}
    connections.settings[name] = connections.configure_settings({"default": {}, name: database})[name]
    with django_db_blocker.unblock():
        with connections[name].cursor() as cursor:
            cursor.execute("CREATE TABLE log (who TEXT, at REAL)")
        yield name
        connections[name].close()
    del connections.settings[name]
    delattr(connections._connections, name)
    shutil.rmtree(directory, ignore_errors=True)


def socket_of(alias: str) -> str:
    path = batching.socket_path(str(connections[alias].settings_dict["NAME"]))
    assert path is not None
    return path


class Serving:
    """A writer listening on ``alias``'s socket, served on a thread once ``start`` is called."""

    def __init__(self, alias: str):
        self.alias = alias
        self.writer = BatchWriter(socket_of(alias), using=alias)
        self.writer.listen()
        self.thread = threading.Thread(target=self._serve)

    def _serve(self):
        try:
            self.writer.serve(poll_seconds=0.05)
        finally:
            connections[self.alias].close()

    def start(self) -> "Serving":
        self.thread.start()
        return self

    def stop(self):
        self.writer.stop()
        if self.thread.is_alive():
            self.thread.join(timeout=10)
        self.writer.close()


@pytest.fixture
def serving(alias):
    served = Serving(alias)
    yield served
    served.stop()


def in_threads(count: int, call) -> tuple[list, list[BaseException], list[threading.Thread]]:
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(index):
        try:
            results[index] = call(index)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    return results, errors, threads


def sent(count: int, monkeypatch) -> threading.Semaphore:
    """A semaphore released each time a caller has sent its call whole (to start the writer only once
    every call of a lot waits for it)."""
    done = threading.Semaphore(0)
    send = batching.send_message

    def counting(sock, payload):
        send(sock, payload)
        done.release()

    monkeypatch.setattr(batching, "send_message", counting)
    return done


def test_a_call_runs_in_the_writer_and_its_result_comes_back(serving, alias):
    serving.start()
    outcome = batching.run(log_entry, using=alias, alias=alias, who="a", result={"n": 1})
    assert outcome["thread"] == serving.thread.ident
    assert outcome["result"] == {"n": 1}
    assert logged(alias) == ["a"]
    assert (serving.writer.lots, serving.writer.calls) == (1, 1)


def test_calls_waiting_together_run_in_one_lot_and_a_failing_one_runs_in_its_caller(
    serving, alias, monkeypatch
):
    arrived = sent(5, monkeypatch)

    def call(index):
        return batching.run(log_entry, using=alias, alias=alias, who=f"c{index}", fail=index == 2)

    results, errors, threads = in_threads(5, call)
    for _ in range(5):
        assert arrived.acquire(timeout=10)
    serving.start()
    for thread in threads:
        thread.join(timeout=10)
    assert (serving.writer.lots, serving.writer.calls, serving.writer.handed_back) == (1, 5, 1)
    assert [str(error) for error in errors] == ["c2 failed"]  # raised in its caller, as run locally
    assert all(results[index]["thread"] == serving.thread.ident for index in (0, 1, 3, 4))
    assert logged(alias) == ["c0", "c1", "c3", "c4"]  # neither run of c2 is stored


def test_a_lot_that_cannot_take_the_lock_is_run_by_its_callers(serving, alias):
    serving.start()
    held = threading.Event()

    def hold():
        with transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute("INSERT INTO log VALUES ('holder', 0)")
            held.set()
            time.sleep(3)  # longer than the writer's 2 s wait, shorter than that and the caller's

    _, errors, threads = in_threads(1, lambda _: hold())
    assert held.wait(10)
    outcome = batching.run(log_entry, using=alias, alias=alias, who="late")
    threads[0].join(timeout=10)
    assert not errors
    assert outcome["thread"] == threading.get_ident()
    assert (serving.writer.calls, serving.writer.handed_back) == (1, 1)
    assert logged(alias) == ["holder", "late"]


def test_a_result_that_cannot_be_sent_back_is_not_stored_by_the_writer(serving, alias):
    serving.start()
    outcome = batching.run(log_entry, using=alias, alias=alias, who="r", unpicklable=True)
    assert outcome["thread"] == threading.get_ident()
    assert logged(alias) == ["r"]  # once: the writer's savepoint rolled back


def test_the_callers_context_travels_with_the_call(serving, alias):
    serving.start()
    token = where.set("192.0.2.7")
    try:
        outcome = batching.run(log_entry, using=alias, alias=alias, who="ctx")
    finally:
        where.reset(token)
    assert outcome["thread"] == serving.thread.ident
    assert outcome["where"] == "192.0.2.7"
    assert where.get() is None


@pytest.mark.parametrize(
    "case",
    ["no writer", "stale socket", "in a transaction", "not batched", "unpicklable argument", "too large"],
)
def test_calls_the_writer_cannot_take_run_in_their_caller(alias, case):
    path = socket_of(alias)
    served = None
    if case == "stale socket":
        stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        stale.bind(path)
        stale.close()  # the file stays, with no one listening
    elif case != "no writer":
        served = Serving(alias).start()
    try:
        if case == "in a transaction":
            with transaction.atomic(using=alias):
                outcome = batching.run(log_entry, using=alias, alias=alias, who="x")
        elif case == "not batched":
            outcome = batching.run(not_batched, using=alias, alias=alias, who="x")
        elif case == "unpicklable argument":
            outcome = batching.run(log_entry, using=alias, alias=alias, who="x", result=lambda: 1)
        elif case == "too large":
            big = b"x" * (batching.MAX_CALL_BYTES + 1)
            outcome = batching.run(log_entry, using=alias, alias=alias, who="x", result=big)
        else:
            outcome = batching.run(log_entry, using=alias, alias=alias, who="x")
    finally:
        if served is not None:
            served.stop()
        if os.path.exists(path):
            os.unlink(path)
    assert outcome["thread"] == threading.get_ident()
    assert logged(alias) == ["x"]
    if served is not None:
        assert served.writer.calls == 0


def test_a_writer_lost_after_taking_a_call_is_an_error_not_a_second_run(alias):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_of(alias))
    listener.listen(1)

    def take_and_vanish():
        conn, _ = listener.accept()
        batching.receive_message(conn)
        conn.close()

    vanishing = threading.Thread(target=take_and_vanish)
    vanishing.start()
    try:
        with pytest.raises(batching.BatchWriterUnavailable):
            batching.run(log_entry, using=alias, alias=alias, who="lost")
    finally:
        vanishing.join(timeout=10)
        listener.close()
        os.unlink(socket_of(alias))
    assert logged(alias) == []  # not run here: the writer may have stored it


def test_a_caller_reconnects_to_a_writer_started_again(alias):
    first = Serving(alias).start()
    assert batching.run(log_entry, using=alias, alias=alias, who="1")["thread"] == first.thread.ident
    first.stop()
    # The caller's connection to the first writer is dead: this call runs here, and the next one finds
    # the new writer.
    assert batching.run(log_entry, using=alias, alias=alias, who="2")["thread"] == threading.get_ident()
    second = Serving(alias).start()
    try:
        outcome = batching.run(log_entry, using=alias, alias=alias, who="3")
    finally:
        second.stop()
    assert outcome["thread"] == second.thread.ident
    assert logged(alias) == ["1", "2", "3"]


def test_the_socket_is_the_owners_alone(serving, alias):
    assert os.stat(socket_of(alias)).st_mode & 0o777 == 0o600

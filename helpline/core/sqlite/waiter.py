"""Waiting for the writers' queue (``base``) with a timeout, on one thread kept for the connection.

``flock()`` cannot time out, so a connection that finds the queue taken hands the wait to another thread
and waits for that one as long as SQLite's busy handler would have. Starting a thread for each wait cost
a web process 0.2 ms of CPU a contended transaction and lengthened every hand-over of the lock: opening
tickets through the API with two gunicorn processes, 379-398 tickets a second against 406-410 with the
thread kept (and 412-432 with no timeout at all, which a worker thread cannot do without). The thread is
started on the connection's first wait, takes its requests in order, and ends when the connection closes.
"""

import contextlib
import fcntl
import os
import queue
import sqlite3
import threading
from dataclasses import dataclass, field


@dataclass
class _Wait:
    """One connection's wait for the queue's file ``fd``: ``taken`` once it holds it; ``abandoned`` when
    the connection gave up first, and the lock is then let go as soon as it comes (by closing ``fd``)."""

    fd: int
    taken: threading.Event = field(default_factory=threading.Event)
    guard: threading.Lock = field(default_factory=threading.Lock)
    abandoned: bool = False
    error: OSError | None = None


class Waiter:
    """A thread that takes the queue's lock for one connection, one request at a time."""

    def __init__(self) -> None:
        self._requests: queue.SimpleQueue[_Wait | None] = queue.SimpleQueue()
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._serve, name="sqlite-writer-queue", daemon=True)
        self._thread.start()

    def usable(self) -> bool:
        """False in a child process forked from the one that started it (whose thread it does not have)."""
        return self._pid == os.getpid() and self._thread.is_alive()

    def take(self, fd: int, timeout: float) -> bool:
        """Take the lock on ``fd`` within ``timeout`` seconds. False when it did not come in time: the lock
        is let go by closing ``fd`` when it does come, so the caller queues on a new descriptor next time.
        Raises OperationalError when the lock cannot be taken at all."""
        wait = _Wait(fd)
        self._requests.put(wait)
        if not wait.taken.wait(timeout):
            with wait.guard:
                if not wait.taken.is_set():
                    wait.abandoned = True
                    return False
        if wait.error is not None:
            raise sqlite3.OperationalError(f"cannot queue for the write lock: {wait.error}")
        return True

    def stop(self) -> None:
        """End the thread once it has served what it was asked (an abandoned wait included)."""
        self._requests.put(None)

    def _serve(self) -> None:
        while (wait := self._requests.get()) is not None:
            try:
                fcntl.flock(wait.fd, fcntl.LOCK_EX)
            except OSError as error:
                wait.error = error
            with wait.guard:
                if wait.abandoned:
                    with contextlib.suppress(OSError):
                        os.close(wait.fd)  # releases it
                else:
                    wait.taken.set()

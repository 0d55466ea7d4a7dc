"""Django's SQLite backend, with write transactions that queue for the write lock instead of polling it.

SQLite lets one connection write at a time. A connection that finds the database locked calls its busy
handler, which sleeps and tries again (after 1, 2, 5, 10, 15, 20, 25 ms, then 50 and 100): under a steady
load of short write transactions (opening a ticket holds the lock for two or three milliseconds) the
waiters sleep through the moments it is free. Here each transaction first takes an exclusive ``flock()``
on a file beside the database (``<name>-writer``) and holds it until its COMMIT or ROLLBACK: the kernel
wakes the next waiter the moment it is released, whatever its process, and SQLite's own lock is then free
when BEGIN IMMEDIATE asks for it. A waiter gives up after the connection's ``timeout`` (the settings'
20 s, counted on a thread kept for the purpose, ``waiter``) with SQLite's own "database is locked", as the
busy handler would; a process that dies holding the file's lock loses it with its descriptors. Writes
outside a transaction (autocommit) and other programs' connections still meet the busy handler, as
before. The log is checkpointed once the queue is let go, not inside COMMIT (``checkpoints``).

Only for a database in a file and with ``transaction_mode`` IMMEDIATE (what the settings give: every
transaction then takes the write lock at BEGIN, so queueing them all is what SQLite does anyway).
``HELPLINE_SQLITE_WRITER_QUEUE=0`` turns it off.
"""

import contextlib
import fcntl
import logging
import os
import sqlite3
from typing import Any

from django.db.backends.sqlite3 import base

from helpline.core.sqlite.checkpoints import Checkpointer, LogWatch, checkpoint_if_due, watch
from helpline.core.sqlite.waiter import Waiter

# The stubs leave out the private methods overridden here.
_SQLiteWrapper: Any = base.DatabaseWrapper
log = logging.getLogger(__name__)


def open_writer_queue(database: str) -> int:
    """The queue's file, made as SQLite makes its ``-wal`` and ``-shm`` files: with the database file's
    permissions (and, for root, its owner), so that the app server and the worker, whichever user made
    it, both open it. -1 (no queue: SQLite's busy handler alone) when it cannot be opened."""
    path = f"{database}-writer"
    try:
        stat = os.stat(database)
    except OSError:
        stat = None
    mode = stat.st_mode & 0o666 if stat else 0o644
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, mode)
    except OSError as error:
        log.warning("SQLite writers do not queue: cannot open %s (%s)", path, error)
        return -1
    if stat and os.geteuid() == 0:
        with contextlib.suppress(OSError):
            os.fchown(fd, stat.st_uid, stat.st_gid)
    return fd


class DatabaseWrapper(_SQLiteWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer_fd: int | None = None
        self._writer_held = False
        self._log: LogWatch | None = None
        self._waiter: Waiter | None = None
        # Set by a process that checkpoints on a thread of its own (``checkpoints.Checkpointer``).
        self.checkpointer: Checkpointer | None = None

    def _queues(self) -> bool:
        return (
            self.transaction_mode == "IMMEDIATE"
            and not self.is_in_memory_db()
            and os.environ.get("HELPLINE_SQLITE_WRITER_QUEUE", "1") != "0"
        )

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # The log is checkpointed after the queue is let go (``checkpoints``), by connections that queue.
        self._log = watch(connection, str(self.settings_dict["NAME"])) if self._queues() else None
        return connection

    def _writer_queue(self) -> int | None:
        """This connection's own descriptor of the queue's file (flock() belongs to an open file, so each
        connection, and so each thread, queues on its own), or None when this database does not queue."""
        if self._writer_fd is None:
            self._writer_fd = open_writer_queue(str(self.settings_dict["NAME"])) if self._queues() else -1
        return self._writer_fd if self._writer_fd >= 0 else None

    def _start_transaction_under_autocommit(self):
        queue = self._writer_queue()
        if queue is not None and not self._writer_held:
            with self.wrap_database_errors:
                self._wait_for_writer(queue)
            self._writer_held = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer()
            raise

    def _wait_for_writer(self, queue: int) -> None:
        try:
            fcntl.flock(queue, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if self._waiter is None or not self._waiter.usable():
            self._waiter = Waiter()
        if self._waiter.take(queue, self.settings_dict["OPTIONS"].get("timeout", 5)):
            return
        self._writer_fd = None  # the waiter closes it when its turn comes
        raise sqlite3.OperationalError("database is locked")

    def _commit(self):
        try:
            super()._commit()
        finally:
            self._release_writer()
        if self._log is not None:
            checkpoint_if_due(self, self._log)

    def _rollback(self):
        try:
            super()._rollback()
        finally:
            self._release_writer()

    def _close(self):
        try:
            super()._close()
        finally:
            self._release_writer()
            if self._writer_fd is not None and self._writer_fd >= 0:
                os.close(self._writer_fd)
            self._writer_fd = None
            self._log = None
            if self._waiter is not None:
                self._waiter.stop()
                self._waiter = None

    def _release_writer(self):
        if self._writer_held:
            self._writer_held = False
            assert self._writer_fd is not None  # held only ever on the descriptor it was taken on
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

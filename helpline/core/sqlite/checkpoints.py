"""Checkpoints of the write-ahead log, run after a transaction has let the writers' queue go rather than
inside its COMMIT.

SQLite checkpoints on the COMMIT that takes the log past 1000 pages (``wal_autocheckpoint``): it copies the
logged pages into the database file and syncs both to disk, 5 to 7 ms on this machine, every twenty
tickets or so. SQLite's own write lock is free by then, but the COMMIT returns only after the checkpoint,
and a connection holds the writers' queue (``base``) until its COMMIT returns: every other writer waited
through it. A connection that queues turns the automatic checkpoint down to a backstop (``BACKSTOP``
pages, for writes outside a transaction, which never pass through the queue) and, once its transaction
has let the queue go, looks at the size of the log. Past ``PAGES`` pages it runs a PASSIVE checkpoint,
which never waits: when another connection is checkpointing it returns at once, and that one does the
work.

``PAGES`` is 4000 (16 MB of log with 4 KB pages), not SQLite's 1000: opening a ticket logs some fifty
pages, many of them the same ones (the last leaves of its tables and of their indexes), and a checkpoint
copies each page once however often the log holds it. Four times the tickets a checkpoint took the web's
CPU from 3.6 to 3.4 ms a ticket, and v1 from 405 to 414-430 tickets a second (20,000 tickets); ten
thousand pages gained nothing more.

The log's file tells its size because these connections set ``journal_size_limit`` to 0: the first
commit after a complete checkpoint starts the log again from its beginning and cuts the file to what that
commit wrote. Until then a look finds the old size and its PASSIVE checkpoint finds nothing left to copy,
which costs a few microseconds. (The ``-shm`` file holds the exact count, but this process must not open
and close it: closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
included.)
"""

import logging
import os
import sqlite3
import threading

from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper

log = logging.getLogger(__name__)
PAGES = 4000
BACKSTOP = 20_000
_WAL_HEADER, _FRAME_HEADER = 32, 24


class LogWatch:
    """The size of one database's write-ahead log, read from its file."""

    def __init__(self, database: str, page_size: int):
        self.path = f"{database}-wal"
        self.threshold = _WAL_HEADER + PAGES * (page_size + _FRAME_HEADER)

    def due(self) -> bool:
        try:
            return os.stat(self.path).st_size >= self.threshold
        except OSError:
            return False


def watch(raw: sqlite3.Connection, database: str) -> LogWatch | None:
    """For a connection just opened: the watch of its log, with the automatic checkpoint turned down to
    the backstop; None (SQLite's checkpoint left as it is) when it is not in WAL mode."""
    (mode,) = raw.execute("PRAGMA journal_mode").fetchone()
    if str(mode).lower() != "wal":
        return None
    (page_size,) = raw.execute("PRAGMA page_size").fetchone()
    raw.execute("PRAGMA journal_size_limit=0")
    raw.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP}")
    return LogWatch(database, page_size)


class Checkpointer:
    """Checkpoints on a thread of their own, for a process that must not stop for them (the batch writer:
    every door waits while it does). The thread has its own connection; SQLite lets go of Python's lock
    while it copies and syncs, and a PASSIVE checkpoint lets writers write meanwhile."""

    def __init__(self, database: str):
        self.database = database
        self.wanted = threading.Event()
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True)
        self.thread.start()

    def request(self) -> None:
        self.wanted.set()

    def stop(self) -> None:
        self.stopping = True
        self.wanted.set()
        self.thread.join(timeout=30)

    def _run(self) -> None:
        raw = sqlite3.connect(self.database, timeout=5, check_same_thread=False)
        try:
            while True:
                self.wanted.wait()
                self.wanted.clear()
                if self.stopping:
                    return
                try:
                    raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as error:
                    log.warning(
                        "SQLite's log could not be checkpointed (%s); a later commit tries again", error
                    )
        finally:
            raw.close()


def checkpoint_if_due(wrapper: BaseDatabaseWrapper, watched: LogWatch) -> None:
    """A PASSIVE checkpoint when the log has grown past ``PAGES`` pages. Called after a COMMIT: a failure
    is logged, not raised, as the transaction did commit."""
    if not watched.due():
        return
    elsewhere: Checkpointer | None = getattr(wrapper, "checkpointer", None)
    if elsewhere is not None:
        elsewhere.request()
        return
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except DatabaseError as error:
        log.warning("SQLite's log could not be checkpointed (%s); a later commit tries again", error)

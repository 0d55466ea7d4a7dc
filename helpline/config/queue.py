"""The task queue's SQLite storage (the default, for one machine), committing as the main database does."""

from huey import SqliteHuey
from huey.storage import SqliteStorage


class SqliteQueueStorage(SqliteStorage):
    """Huey's SQLite storage with ``synchronous=NORMAL`` instead of SQLite's default FULL.

    FULL syncs the write-ahead log to disk on every commit: 0.78 ms per task queued here, against 0.06 ms,
    and with the exclusive lock held all that time, so web processes queueing notifications waited on the
    worker taking tasks (a third of a web process's time under load, measured with py-spy). NORMAL keeps
    the queue consistent through any crash; a power cut may lose the last commits, as it may for the main
    database, which runs with the same setting."""

    def _create_connection(self):
        connection = super()._create_connection()
        connection.execute("pragma synchronous=NORMAL")
        return connection


class HelplineSqliteHuey(SqliteHuey):
    storage_class = SqliteQueueStorage

"""SQLite's log is checkpointed once it passes a thousand pages, by the connection whose commit took it
there, after that connection has let the writers' queue go: not inside COMMIT, where every other writer
waited for it (``core.sqlite.checkpoints``)."""

import os
import time

from django.db import connections, transaction

from helpline.core.sqlite.checkpoints import BACKSTOP, PAGES, Checkpointer
from helpline.core.tests.test_sqlite_writer_queue import queue_is_free

BLOB_PAGES = 100  # each commit below logs about as many pages


def commit_a_blob(alias: str) -> None:
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("INSERT INTO log VALUES (randomblob(%s), 0)", [BLOB_PAGES * 4000])


def log_pages(alias: str) -> int:
    return os.stat(f"{connections[alias].settings_dict['NAME']}-wal").st_size // 4096


def test_the_log_stays_near_its_threshold_however_much_is_written(queued):
    sizes = []
    for _ in range(3 * PAGES // BLOB_PAGES):  # three times the threshold, short of the backstop
        commit_a_blob(queued)
        sizes.append(log_pages(queued))
    assert max(sizes) < PAGES + 3 * BLOB_PAGES
    assert min(sizes[PAGES // BLOB_PAGES + 1 :]) < 2 * BLOB_PAGES  # started again after a checkpoint


def test_the_checkpoint_runs_with_the_queue_let_go_and_not_inside_commit(queued):
    checkpoints = []

    def watch(execute, sql, params, many, context):
        if "wal_checkpoint" in sql:
            checkpoints.append(queue_is_free(queued))
        return execute(sql, params, many, context)

    with connections[queued].execute_wrapper(watch):
        for _ in range(2 * PAGES // BLOB_PAGES):
            commit_a_blob(queued)
    assert checkpoints and all(checkpoints)
    with connections[queued].cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone() == (BACKSTOP,)


def test_a_process_with_a_checkpointer_has_its_log_checkpointed_beside_it(queued):
    """The batch writer's way: its own commits never run the checkpoint, its thread does."""
    connection = connections[queued]
    in_commits = []

    def watch(execute, sql, params, many, context):
        in_commits.append("wal_checkpoint" in sql)
        return execute(sql, params, many, context)

    connection.checkpointer = Checkpointer(str(connection.settings_dict["NAME"]))
    try:
        sizes = []
        with connection.execute_wrapper(watch):
            for _ in range(3 * PAGES // BLOB_PAGES):
                commit_a_blob(queued)
                sizes.append(log_pages(queued))
                time.sleep(0.01)  # the thread's turn
    finally:
        connection.checkpointer.stop()
        connection.checkpointer = None
    assert not any(in_commits)
    assert max(sizes) < PAGES + 30 * BLOB_PAGES  # short of the backstop: the thread kept it down
    assert min(sizes[PAGES // BLOB_PAGES + 5 :]) < 10 * BLOB_PAGES  # started again after a checkpoint

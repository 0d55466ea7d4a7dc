"""The task queue as in production, for tests that commit for real: with Huey out of immediate mode, work
waits in SQLite storage (a file of the test's own, ``tasks.sqlite3`` in its ``tmp_path``, where a worker
started on the test's data directory finds it too) until a worker, or ``run_next``, takes it."""

import pytest
from huey.contrib.djhuey import HUEY


@pytest.fixture
def queue(tmp_path):
    HUEY.immediate = False  # Huey swaps its in-memory storage for the configured one...
    try:
        # ...which is shared by the test run: give this test a file of its own.
        HUEY.storage = HUEY.get_storage(**HUEY.storage_kwargs | {"filename": str(tmp_path / "tasks.sqlite3")})
        yield HUEY
    finally:
        HUEY.storage.close()
        HUEY.immediate = True  # back to immediate mode and a fresh in-memory storage


def run_next(queue):
    """Run the task first in line, as a worker would; returns it."""
    task = queue.dequeue()
    assert task is not None
    queue.execute(task)
    return task

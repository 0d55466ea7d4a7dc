"""The worker's log: no line for each task that ran as it should, the failures as before."""

import logging

import pytest
from huey.contrib.djhuey import task

from helpline.testsupport.task_queue import queue, run_next  # noqa: F401 (the fixture)


@task()
def add(a, b):
    return a + b


@task()
def fail():
    raise RuntimeError("the receiver is down")


class Kept(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def huey_log():
    """What the "huey" logger, configured as the settings configure it, passes to its handlers."""
    logger = logging.getLogger("huey")
    kept, level = Kept(), logger.level
    logger.addHandler(kept)
    try:
        yield kept
    finally:
        logger.removeHandler(kept)
        logger.setLevel(level)


def test_a_task_that_runs_as_it_should_logs_nothing(queue, huey_log):  # noqa: F811
    add(2, 3)
    run_next(queue)
    assert huey_log.lines == []


def test_a_task_that_fails_is_still_logged(queue, huey_log):  # noqa: F811
    fail()
    run_next(queue)
    assert [line.rsplit(" ", 1)[0] for line in huey_log.lines] == ["Unhandled exception in task"]


def test_at_debug_level_each_task_is_logged_again(queue, huey_log):  # noqa: F811
    logging.getLogger("huey").setLevel(logging.DEBUG)
    add(2, 3)
    run_next(queue)
    assert [line.split()[0] for line in huey_log.lines] == [
        "Executing",
        "helpline.core.tests.test_task_log.add:",
    ]

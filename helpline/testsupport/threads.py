"""Running calls at the same moment from real threads, each on its own database connection, as concurrent
requests or workers would: for the concurrency tests (transactional tests, committing for real)."""

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection


def at_the_same_moment(calls: Sequence[Callable[[], Any]], *, timeout: float = 60) -> list[Any]:
    """Start every call in its own thread, release them together, wait for all, and return their results
    in order; re-raise the first error."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the caller below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a call never finished"
    if errors:
        raise errors[0]
    return results

"""Rate limits counted in the database: exact under concurrency, given back on rollback, keyed by address."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction

from helpline.core import throttle
from helpline.core.models import Throttle

HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        (None, "unknown"),
        ("", "unknown"),
        ("not an address", "not an address"),
    ],
)
def test_address_keys(ip, key):
    assert throttle.address_key(ip) == key


def test_a_budget_is_spent_then_comes_back_one_use_at_a_time(db):
    with time_machine.travel(time.time(), tick=False) as clock:
        assert [throttle.take("test", "k", limit=3, period=HOUR) for _ in range(3)] == [None] * 3
        assert throttle.take("test", "k", limit=3, period=HOUR) == timedelta(minutes=20)
        assert throttle.take("test", "other", limit=3, period=HOUR) is None
        assert throttle.take("other scope", "k", limit=3, period=HOUR) is None
        clock.shift(timedelta(minutes=20))
        assert throttle.take("test", "k", limit=3, period=HOUR) is None
        assert throttle.take("test", "k", limit=3, period=HOUR) == timedelta(minutes=20)


def test_a_burst_gets_its_whole_budget_whatever_order_its_clocks_were_read_in(db):
    """Requests at once read the clock a few milliseconds apart and reach the database in any order."""
    start = time.time()
    waits = []
    for offset in (0.005, 0.0, -0.005, 0.003):
        with time_machine.travel(start + offset, tick=False):
            waits.append(throttle.take("test", "k", limit=3, period=HOUR))

    assert waits[:3] == [None, None, None]
    assert waits[3] is not None


def test_a_rolled_back_use_is_given_back(db):
    with transaction.atomic():
        assert throttle.take("test", "k", limit=1, period=HOUR) is None
        transaction.set_rollback(True)

    assert throttle.take("test", "k", limit=1, period=HOUR) is None
    assert throttle.take("test", "k", limit=1, period=HOUR) is not None


def test_no_limit_counts_nothing(db):
    assert all(throttle.take("test", "k", limit=0, period=HOUR) is None for _ in range(5))
    assert not Throttle.objects.exists()


def test_the_address_is_not_stored(db):
    throttle.take("test", "198.51.100.7", limit=1, period=HOUR)

    assert "198.51.100.7" not in Throttle.objects.get().key


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_requests_at_once_never_overspend_a_budget():
    """Six requests on six connections (as on several app servers) for a budget of three."""
    barrier = threading.Barrier(6)
    results, errors = [], []

    def request():
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                results.append(throttle.take("test", "office", limit=3, period=HOUR))
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(wait is None for wait in results) == 3 and len(results) == 6

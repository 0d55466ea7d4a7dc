"""The API's rate limit across app servers: with HELPLINE_CACHE_URL the settings count in Redis, so two
processes serving one key share its limit; without it each process counts on its own.

Each server is its own process with the production settings, on this test's database (committed for real)
and a real redis-server started for the module. The limit counts per minute of the clock: a try whose
requests do not all fall in one minute proves nothing and is made again with a new key."""

import pytest

from helpline.api.keys import issue_key
from helpline.api.models import Scope
from helpline.testsupport.other_process import run_script

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TRIES = 5

REQUESTS = """
import json, sys, time
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="localhost")
started = int(time.time() // 60)
codes = [
    client.get("/api/v1/me", headers={"X-API-Key": sys.argv[1]}, secure=True).status_code
    for _ in range(int(sys.argv[2]))
]
print(json.dumps({
    "codes": codes,
    "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    "minutes": sorted({started, int(time.time() // 60)}),
}))
"""


def two_servers(counts: tuple[int, int], tmp_path, **env: str) -> tuple[dict, dict]:
    """One key's requests from a first server, then from a second: what each answered and with which
    cache, from the first try whose requests all fell in one minute."""
    for attempt in range(TRIES):
        raw = issue_key(f"Monitoring {attempt}", [Scope.READ])[1]
        answers = [
            requests_from_a_server(raw, count, tmp_path / f"{attempt}-{server}", **env)
            for server, count in enumerate(counts)
        ]
        if len({minute for answer in answers for minute in answer.pop("minutes")}) == 1:
            return answers[0], answers[1]
    pytest.fail(f"no try of {TRIES} kept its requests within one minute")


def requests_from_a_server(raw_key: str, count: int, data_dir, **env: str) -> dict:
    data_dir.mkdir()
    return run_script(
        REQUESTS, raw_key, str(count), data_dir=data_dir, env={"HELPLINE_API_RATE_LIMIT": "3"} | env
    )


def test_two_servers_sharing_the_cache_share_a_keys_limit(redis_server, tmp_path):
    first, second = two_servers((2, 2), tmp_path, HELPLINE_CACHE_URL=redis_server.url)
    assert first == {"codes": [200, 200], "cache": "RedisCache"}
    assert second == {"codes": [200, 429], "cache": "RedisCache"}


def test_without_a_shared_cache_each_server_counts_on_its_own(tmp_path):
    first, second = two_servers((2, 4), tmp_path)
    assert first == {"codes": [200, 200], "cache": "LocMemCache"}
    assert second == {"codes": [200, 200, 200, 429], "cache": "LocMemCache"}

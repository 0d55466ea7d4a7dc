"""The API's rate limit across app servers: with HELPLINE_CACHE_URL the settings count in Redis, so two
processes serving one key share its limit; without it each process counts on its own.

Each server is its own process with the production settings, on this test's database (committed for real)
and a real redis-server started for the module."""

import pytest

from helpline.api.keys import issue_key
from helpline.api.models import Scope
from helpline.testsupport.other_process import run_script

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REQUESTS = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="localhost")
codes = [
    client.get("/api/v1/me", headers={"X-API-Key": sys.argv[1]}, secure=True).status_code
    for _ in range(int(sys.argv[2]))
]
print(json.dumps({"codes": codes, "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}))
"""


def requests_from_a_server(raw_key: str, count: int, data_dir, **env: str) -> dict:
    data_dir.mkdir()
    return run_script(
        REQUESTS, raw_key, str(count), data_dir=data_dir, env={"HELPLINE_API_RATE_LIMIT": "3"} | env
    )


def test_two_servers_sharing_the_cache_share_a_keys_limit(redis_server, tmp_path):
    raw = issue_key("Monitoring", [Scope.READ])[1]
    first = requests_from_a_server(raw, 2, tmp_path / "a", HELPLINE_CACHE_URL=redis_server.url)
    second = requests_from_a_server(raw, 2, tmp_path / "b", HELPLINE_CACHE_URL=redis_server.url)
    assert first == {"codes": [200, 200], "cache": "RedisCache"}
    assert second == {"codes": [200, 429], "cache": "RedisCache"}


def test_without_a_shared_cache_each_server_counts_on_its_own(tmp_path):
    raw = issue_key("Monitoring", [Scope.READ])[1]
    first = requests_from_a_server(raw, 2, tmp_path / "a")
    second = requests_from_a_server(raw, 4, tmp_path / "b")
    assert first == {"codes": [200, 200], "cache": "LocMemCache"}
    assert second == {"codes": [200, 200, 200, 429], "cache": "LocMemCache"}

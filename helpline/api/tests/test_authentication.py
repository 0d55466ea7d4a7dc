"""Authentication: a key or a token, in either header; every other request is 401, too many are 429."""

import pytest

from helpline.api.keys import revoke
from helpline.api.models import ApiKey, PersonalToken
from helpline.api.tests.conftest import bearer

pytestmark = pytest.mark.django_db


def test_a_key_is_accepted_as_a_bearer_credential_or_in_x_api_key(client, key_of):
    raw = key_of("read", "write")
    for headers in (bearer(raw), {"X-API-Key": raw}):
        answer = client.get("/api/v1/me", headers=headers)
        assert answer.status_code == 200, answer.content
        assert answer.json() == {"kind": "channel", "name": "API key Test key", "scopes": ["read", "write"]}


def test_a_personal_token_acts_as_its_agent(client, token_of, sam):
    answer = client.get("/api/v1/me", headers=bearer(token_of(sam)))
    assert answer.json()["kind"] == "agent" and answer.json()["name"] == "Sam"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nonsense"}, {"X-API-Key": "hlk_0_0"}, {"Authorization": "Basic eDp5"}],
)
def test_without_a_valid_credential_the_answer_is_401_in_json(client, headers):
    answer = client.get("/api/v1/me", headers=headers)
    assert answer.status_code == 401
    assert answer.json() == {"detail": "A valid API key or personal token is required.", "field": None}
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_revoked_credentials_and_inactive_agents_are_refused(client, key_of, token_of, sam):
    raw_key, raw_token = key_of("read"), token_of(sam)
    revoke(ApiKey.objects.get())
    assert client.get("/api/v1/me", headers=bearer(raw_key)).status_code == 401
    sam.user.is_active = False
    sam.user.save()
    assert client.get("/api/v1/me", headers=bearer(raw_token)).status_code == 401
    assert PersonalToken.objects.count() == 1


def test_a_key_limited_to_a_network_is_refused_from_elsewhere(client, key_of):
    raw = key_of("read", networks=["10.0.0.0/8"])
    assert client.get("/api/v1/me", headers=bearer(raw), REMOTE_ADDR="10.1.1.1").status_code == 200
    assert client.get("/api/v1/me", headers=bearer(raw), REMOTE_ADDR="192.0.2.1").status_code == 401


def test_past_the_rate_limit_requests_get_429_with_retry_after(client, key_of, settings):
    settings.HELPLINE_API_RATE_LIMIT = 3
    raw, other = key_of("read"), key_of("read")
    assert [client.get("/api/v1/me", headers=bearer(raw)).status_code for _ in range(3)] == [200] * 3
    refused = client.get("/api/v1/me", headers=bearer(raw))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Too many requests")
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200  # each key has its own

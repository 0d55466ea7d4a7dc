"""Credentials for the API tests: keys of each scope, and personal tokens of the personas."""

import pytest
from django.core.cache import cache

from helpline.api.keys import issue_key, issue_token
from helpline.api.models import Scope


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def key_of(db):
    """The credential of a new API key with these scopes."""

    def make(*scopes, **extra):
        return issue_key("Test key", scopes or [Scope.READ], **extra)[1]

    return make


@pytest.fixture
def token_of(db):
    """The credential of a new personal token of this agent."""

    def make(agent):
        return issue_token(agent, "Test token")[1]

    return make


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}

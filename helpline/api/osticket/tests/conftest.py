"""An osTicket-style client: a key with the tickets:create scope, a client that enforces CSRF (these
endpoints must not need it), and a default mailbox for raw messages and tickets without a topic."""

import pytest
from django.core.cache import cache
from django.test import Client

from helpline.api.keys import issue_key
from helpline.api.models import Scope
from helpline.inbound.models import Mailbox


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_key(db):
    return issue_key("Monitoring", [Scope.CREATE])[1]


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def mailbox(support, support_topic):
    return Mailbox.objects.create(
        name="Support",
        address="support@example.test",
        department=support,
        topic=support_topic,
        is_default=True,
    )


@pytest.fixture
def post(csrf_client, api_key, mailbox):
    """POST a body to an osTicket endpoint as a script would, with the key in X-API-Key."""

    def send(path, body, content_type="application/json", key=None, **extra):
        headers = {"X-API-Key": api_key if key is None else key, **extra.pop("headers", {})}
        return csrf_client.post(path, body, content_type=content_type, headers=headers, **extra)

    return send

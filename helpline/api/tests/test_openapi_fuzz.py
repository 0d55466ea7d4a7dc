"""schemathesis against /api/v1/openapi.json: every operation, with a bounded number of generated requests
each (valid and invalid), as an administrator's token and on a desk with tickets in it. No request may
get a 500 or a response that breaks the schema."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from conftest import open_with_hints
from helpline.api.keys import issue_token
from helpline.api.tests.conftest import bearer
from helpline.api.v1 import api

EXAMPLES_PER_OPERATION = 8

# The document as /api/v1/openapi.json serves it (test_documentation checks that it is served).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())


@pytest.fixture
def desk(rita, support_topic, sam):
    """A ticket to find, read and change (opened without running its emails: they are not tested here)."""
    return open_with_hints(
        actor=rita, requester=rita, topic=support_topic, subject="Printer", body="On fire."
    )


@pytest.fixture
def app(db, settings, desk):
    settings.HELPLINE_API_RATE_LIMIT = 0
    # As Django's test client does: the requests run inside the test's transaction, whose connection the
    # end of a request must not close.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def credential(ada):
    return issue_token(ada, "Fuzzing")[1]


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_fails_or_breaks_its_schema(case, app, credential):
    case.call_and_validate(
        app=app, headers=bearer(credential), checks=[not_a_server_error, response_schema_conformance]
    )

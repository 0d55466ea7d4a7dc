"""Named personas shared by every test: two departments with an agent each, an administrator, a requester,
and help topics routing to them. Tickets are opened through the real ``open_ticket`` action."""

import os
import shutil

import pytest
from hypothesis import settings as hypothesis_settings

from helpline.people.models import Role
from helpline.testsupport.factories import (
    AgentFactory,
    DepartmentFactory,
    HelpTopicFactory,
    RequesterFactory,
    SLAPlanFactory,
    UserFactory,
)

# Fixtures of the real servers some tests talk to.
pytest_plugins = [
    "helpline.testsupport.smtpserver",
    "helpline.testsupport.rules",
    "helpline.testsupport.webhook_receiver",
    "helpline.testsupport.oidc_provider",
    "helpline.testsupport.slapd",
    # Sign-ins in tests pass the second factor they owe, unless a test is marked real_second_factor.
    "helpline.testsupport.second_factor",
    "helpline.testsupport.custom_fields",
    "helpline.testsupport.migrations",
    "helpline.testsupport.redisserver",
    "helpline.testsupport.task_queue",
]

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# No per-example deadline: two suites share two cores, and a slow example is not a failure. In CI the
# examples are derived from the test itself, so a run passes or fails the same way every time; local runs
# keep exploring new inputs (and replay the failures they find from .hypothesis/).
hypothesis_settings.register_profile("helpline", deadline=None)
hypothesis_settings.register_profile(
    "ci", parent=hypothesis_settings.get_profile("helpline"), derandomize=True
)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "helpline")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": shutil.which("chromium")}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep serialized rollback working after Playwright starts: from then on the test thread runs in
    another context, where Django opens new connection objects that lack the serialized contents of the
    test database, so transactional tests would silently lose the rows data migrations made (roles,
    statuses, priorities). Keeping the contents on the connection class makes every connection see them."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if hasattr(connection, "_test_serialized_contents"):
            type(connection)._test_serialized_contents = connection._test_serialized_contents
    return django_db_setup


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def support(db):
    return DepartmentFactory(name="Support", email="support-team@example.test")


@pytest.fixture
def it_department(db):
    return DepartmentFactory(name="IT")


@pytest.fixture
def sla_plan(db):
    return SLAPlanFactory(name="Sev-B", hours=4)


@pytest.fixture
def support_topic(support, sla_plan):
    return HelpTopicFactory(name="General inquiry", department=support, sla_plan=sla_plan)


@pytest.fixture
def it_topic(it_department):
    return HelpTopicFactory(name="Network problem", department=it_department)


@pytest.fixture
def sam(support):
    """Sam, an agent in Support with the Agent role."""
    return AgentFactory(
        user=UserFactory(username="sam", first_name="Sam", email="sam@staff.example.test"),
        departments=[support],
    )


@pytest.fixture
def lena(support):
    """Lena, a Support agent with the Limited role (view, reply, note only)."""
    return AgentFactory(
        user=UserFactory(username="lena", first_name="Lena", email="lena@staff.example.test"),
        departments=[support],
        departments__role=Role.objects.get(name="Limited"),
    )


@pytest.fixture
def mia(support):
    """Mia, a Support agent with the Manager role: the one shipped role that may delete tickets."""
    return AgentFactory(
        user=UserFactory(username="mia", first_name="Mia", email="mia@staff.example.test"),
        departments=[support],
        departments__role=Role.objects.get(name="Manager"),
    )


@pytest.fixture
def ivan(it_department):
    """Ivan, an agent in IT only."""
    return AgentFactory(
        user=UserFactory(username="ivan", first_name="Ivan", email="ivan@staff.example.test"),
        departments=[it_department],
    )


@pytest.fixture
def ada(db):
    """Ada, a Helpline administrator with no department."""
    return AgentFactory(
        user=UserFactory(username="ada", first_name="Ada", email="ada@staff.example.test"), is_admin=True
    )


@pytest.fixture
def rita(db):
    """Rita, a requester."""
    return RequesterFactory(name="Rita Requester", email="rita@example.test")


ROUTING_HINTS = {"topic", "department", "priority", "sla_plan", "assignee", "team"}


def open_with_hints(*, actor, requester, subject, body, **extra):
    """``open_ticket`` with the routing hints (topic, department, ...) given as plain keywords."""
    from helpline.tickets.actions import Routing, open_ticket

    routing = Routing(**{key: extra.pop(key) for key in ROUTING_HINTS & extra.keys()})
    return open_ticket(actor=actor, requester=requester, subject=subject, body=body, routing=routing, **extra)


@pytest.fixture
def open_for(django_capture_on_commit_callbacks):
    """Open a ticket as a requester through the portal's action, running its on-commit work."""

    def _open(requester, topic, subject="Printer on fire", body="It is really on fire.", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return open_with_hints(
                actor=requester, requester=requester, topic=topic, subject=subject, body=body, **extra
            )

    return _open


@pytest.fixture
def ticket(open_for, rita, support_topic, sam):
    """A ticket Rita opened under the Support topic (Sam works in Support)."""
    return open_for(rita, support_topic)

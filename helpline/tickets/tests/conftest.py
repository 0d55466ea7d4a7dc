"""Fixtures for the action tests, on top of the personas in the root conftest."""

import pytest

from helpline.catalog.models import State, TicketStatus
from helpline.testsupport.factories import RequesterFactory


@pytest.fixture
def status(db):
    """``status("closed")``: the default status of a state."""
    return lambda state: TicketStatus.default_for(State(state))


@pytest.fixture
def carl(db):
    """Carl, another requester (copied on tickets in some tests)."""
    return RequesterFactory(name="Carl Colleague", email="carl@example.test")


@pytest.fixture
def olga(db):
    """Olga, a requester with nothing to do with Rita's tickets."""
    return RequesterFactory(name="Olga Outsider", email="olga@example.test")

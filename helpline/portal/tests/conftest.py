import pytest

from helpline.testsupport.factories import RequesterFactory


@pytest.fixture
def colin(db):
    """Colin, a requester copied on tickets as a collaborator."""
    return RequesterFactory(name="Colin Collaborator", email="colin@example.test")


@pytest.fixture
def shared_ticket(open_for, rita, colin, support_topic, sam):
    """A ticket Rita opened with Colin copied on it."""
    return open_for(rita, support_topic, subject="Shared drive is full", collaborators=[colin])

import pytest

from helpline.portal.protection import ONE_TIME_FIELD
from helpline.portal.tests.helpers import form_token
from helpline.testsupport.factories import RequesterFactory


@pytest.fixture
def colin(db):
    """Colin, a requester copied on tickets as a collaborator."""
    return RequesterFactory(name="Colin Collaborator", email="colin@example.test")


@pytest.fixture
def shared_ticket(open_for, rita, colin, support_topic, sam):
    """A ticket Rita opened with Colin copied on it."""
    return open_for(rita, support_topic, subject="Shared drive is full", collaborators=[colin])


@pytest.fixture
def form_data(support_topic):
    """What Nora types into the open-ticket form, with the form's token as issued a minute before."""
    return {
        "name": "Nora Newcomer",
        "email": "nora@example.test",
        "phone": "+1 555 0100",
        "topic": support_topic.pk,
        "subject": "VPN drops every hour",
        "message": "Since Monday the VPN disconnects every hour.\nEvery time.",
        "website": "",
        ONE_TIME_FIELD: form_token(),
    }

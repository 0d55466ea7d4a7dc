import pytest

from helpline.tickets.actions import post_reply


@pytest.fixture
def reply(ticket, sam, django_capture_on_commit_callbacks):
    """Sam answers the ticket (running what the commit sets off: the deliveries)."""

    def send(body="On it"):
        with django_capture_on_commit_callbacks(execute=True):
            return post_reply(actor=sam, ticket=ticket, body=body)

    return send

"""Two posts of one form at the same moment (a double click reaching two app servers): one ticket, and
both land on its confirmation. Real threads, each with its own database connection, committing for real."""

import pytest
from django.test import Client
from django.urls import reverse

from helpline.people.models import Requester
from helpline.portal.models import SpentFormToken
from helpline.testsupport.threads import at_the_same_moment
from helpline.tickets.access import access_token
from helpline.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def post_at_once(data: dict, times: int) -> list:
    return at_the_same_moment([lambda: Client().post("/portal/", data) for _ in range(times)])


def test_the_same_form_posted_three_times_at_once_opens_one_ticket(form_data):
    responses = post_at_once(form_data, times=3)

    ticket = Ticket.objects.get()
    confirmation = reverse("portal:created", args=[access_token(ticket, ticket.requester)])
    assert [response.status_code for response in responses] == [302, 302, 302]
    assert {response["Location"] for response in responses} == {confirmation}
    assert Requester.objects.count() == 1
    assert SpentFormToken.objects.get().ticket_id == ticket.pk

"""A ticket posted without a topicId goes where the default mailbox sends mail; when that mailbox names no
topic, the department's default topic routes it."""

import json

import pytest

from helpline.routing.models import DepartmentDefaults
from helpline.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_a_ticket_without_a_topic_takes_the_departments_default_topic(post, mailbox, support, support_topic):
    mailbox.topic = None
    mailbox.save()
    DepartmentDefaults.objects.create(department=support, default_topic=support_topic)
    body = {"name": "Angry User", "email": "api@osticket.com", "subject": "Testing API", "message": "Down."}
    answer = post("/api/tickets.json", json.dumps(body))
    assert answer.status_code == 201
    ticket = Ticket.objects.get(number=answer.content.decode())
    assert (ticket.department, ticket.topic) == (support, support_topic)

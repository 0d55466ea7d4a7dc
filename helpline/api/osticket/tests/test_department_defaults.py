"""A ticket posted without a topicId goes where the default mailbox sends mail; when that mailbox names no
topic, the department's default topic routes it."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpline.catalog.models import Priority
from helpline.inbound.models import Mailbox
from helpline.people.models import Department
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


def opened(post) -> Ticket:
    body = {"name": "Angry User", "email": "api@osticket.com", "subject": "Testing API", "message": "Down."}
    answer = post("/api/tickets.json", json.dumps(body))
    assert answer.status_code == 201, answer.content
    return Ticket.objects.get(number=answer.content.decode())


def test_where_a_ticket_without_a_topic_goes_follows_each_change_at_once(
    post, mailbox, support, support_topic, it_department
):
    """The destination is kept in the process (``core.configuration``): each change of what it is made
    of shows on the next ticket."""
    assert (opened(post).department, opened(post).topic) == (support, support_topic)
    other = Mailbox.objects.create(name="IT", address="it@example.test", department=it_department)
    mailbox.is_default = False
    mailbox.save()
    other.is_default = True
    other.save()
    assert (opened(post).department, opened(post).topic) == (it_department, None)
    other.topic = support_topic
    other.save()
    assert opened(post).topic == support_topic
    support_topic.priority = Priority.objects.exclude(pk=support_topic.priority_id).first()
    support_topic.save()
    assert opened(post).priority == support_topic.priority
    it_department.is_active = False
    it_department.save()  # its mailbox no longer routes: the first active department does
    first = Department.objects.filter(is_active=True).order_by("pk").first()
    assert first != it_department
    assert opened(post).department == first


def test_a_fetch_of_the_mailbox_keeps_the_destination(post, mailbox, django_assert_max_num_queries):
    opened(post)
    with CaptureQueriesContext(connection) as first:
        opened(post)
    Mailbox.objects.filter(pk=mailbox.pk).update(next_fetch_at=timezone.now(), last_error="timed out")
    with django_assert_max_num_queries(len(first.captured_queries)):
        opened(post)

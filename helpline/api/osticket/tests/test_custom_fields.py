"""osTicket's custom fields by name: the topic's requester-visible fields, checked, stored with the ticket."""

import json

import pytest

from helpline.tickets.models import FieldValue, Ticket

pytestmark = pytest.mark.django_db

JSON = "/api/tickets.json"


def body(topic, **fields):
    return json.dumps(
        {
            "name": "Angry User",
            "email": "api@osticket.com",
            "subject": "Testing API",
            "message": "Down.",
            "topicId": topic.pk,
            **fields,
        }
    )


def values(answer) -> dict[str, str]:
    ticket = Ticket.objects.get(number=answer.content.decode())
    return {
        row.field.key: row.text for row in FieldValue.objects.filter(ticket=ticket).select_related("field")
    }


def test_a_field_named_by_its_key_is_stored_with_the_ticket(post, support_topic, device_field):
    answer = post(JSON, body(support_topic, device="Laptop"))
    assert answer.status_code == 201
    assert values(answer) == {"device": "Laptop"}


def test_a_value_the_field_refuses_is_400_naming_the_field(post, support_topic, device_field):
    answer = post(JSON, body(support_topic, device="Toaster"))
    assert answer.status_code == 400
    assert answer.content.decode().startswith("device: ")
    assert not Ticket.objects.exists()


def test_a_required_field_left_out_does_not_break_an_older_script(post, support_topic, device_field):
    answer = post(JSON, body(support_topic))
    assert answer.status_code == 201
    assert values(answer) == {}


def test_an_internal_field_is_not_set_by_a_key(post, support_topic, device_field, asset_tag):
    answer = post(JSON, body(support_topic, device="Phone", asset_tag="A-1"))
    assert answer.status_code == 201
    assert values(answer) == {"device": "Phone"}

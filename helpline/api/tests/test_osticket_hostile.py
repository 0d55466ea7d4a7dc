"""Hostile osTicket requests are a client's mistake, answered 400 in osTicket's words and storing nothing,
on every database: JSON with an integer longer than Python reads, and a NUL in any field that is stored
or looked up (PostgreSQL holds no NUL in text)."""

import json

import pytest

from helpline.custom_fields.models import Field, Kind
from helpline.tickets.models import Ticket

pytestmark = pytest.mark.django_db

JSON = "/api/tickets.json"
NUL_REFUSED = "Null characters are not allowed."


@pytest.fixture
def send(client, key_of, support_topic):
    """POST this JSON body to the osTicket endpoint with a tickets:create key; the answer's status and text."""
    raw = key_of("tickets:create")

    def _send(body: str) -> tuple[int, str]:
        answer = client.post(JSON, body, content_type="application/json", headers={"X-API-Key": raw})
        return answer.status_code, answer.content.decode()

    return _send


def request(topic, **fields) -> dict:
    return {
        "name": "Angry User",
        "email": "api@osticket.com",
        "subject": "Testing API",
        "message": "Down.",
        "topicId": topic.pk,
        **fields,
    }


@pytest.mark.parametrize("digits", [4301, 5000])
def test_an_integer_longer_than_python_reads_is_malformed_json(send, support_topic, digits):
    body = json.dumps(request(support_topic))[:-1] + f', "topicId": {"1" * digits}}}'
    assert send(body) == (400, "Syntax error, malformed JSON")
    assert not Ticket.objects.exists()


NUL_IN = {
    "name": "Angry\x00User",
    "email": "api\x00@osticket.com",
    "phone": "318-555\x00-8634",
    "phone_ext": "12\x003",
    "subject": "Testing\x00API",
    "message": "Down\x00.",
    "priority": "Hi\x00gh",
    "priorityId": "a\x00b",
    "source": "email\x00",
}


@pytest.mark.parametrize(("field", "value"), NUL_IN.items(), ids=NUL_IN.keys())
def test_a_nul_in_a_field_is_400_naming_the_field(send, support_topic, field, value):
    assert send(json.dumps(request(support_topic, **{field: value}))) == (400, f"{field}: {NUL_REFUSED}")
    assert not Ticket.objects.exists()


def test_a_nul_in_a_message_s_data_url_is_refused_as_in_its_text(send, support_topic):
    body = json.dumps(request(support_topic, message="data:text/plain,Down%00."))
    assert send(body) == (400, f"message: {NUL_REFUSED}")
    assert not Ticket.objects.exists()


def test_a_nul_in_a_custom_field_is_refused_in_the_same_words(send, support_topic, hardware_form):
    # The portal's form checks it (and did before the fields above were checked): the words are the same.
    Field.objects.create(form=hardware_form, label="Serial", key="serial", kind=Kind.TEXT, sort=30)
    assert send(json.dumps(request(support_topic, serial="SN\x001"))) == (400, f"serial: {NUL_REFUSED}")
    assert not Ticket.objects.exists()

"""The readers of osTicket's request bodies: data URLs in their forms, and whatever a client sends either
opens a ticket's request or is refused with a reason (never an exception that would be a 500)."""

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpline.api.osticket.fields import Refused, TicketRequest, read_request
from helpline.api.osticket.formats import Malformed, read_json, read_xml

BASE = {"name": "Angry User", "email": "api@osticket.com", "subject": "Testing API"}


@pytest.mark.parametrize(
    ("message", "text"),
    [
        ("data:text/plain,Hello%20world, 50% off", "Hello world, 50% off"),
        (
            "data:text/plain;charset=iso-8859-1;base64,"
            + base64.b64encode("Grüße".encode("latin-1")).decode(),
            "Grüße",
        ),
        ("data:,plain by default", "plain by default"),
    ],
    ids=["percent-encoded", "base64 in latin-1", "no type"],
)
def test_a_text_data_url_is_decoded_as_it_declares(message, text):
    request = read_request({**BASE, "message": message})
    assert (request.body, request.body_format) == (text, "text")


def test_an_unknown_charset_is_refused_naming_the_message():
    with pytest.raises(Refused) as refusal:
        read_request({**BASE, "message": "data:text/plain;charset=klingon,x"})
    assert refusal.value.problems == [("message", "unknown character set 'klingon'.")]


def test_every_mistake_is_named_at_once():
    with pytest.raises(Refused) as refusal:
        read_request({"email": "nope", "subject": ["a list"]})
    assert [field for field, _ in refusal.value.problems] == [
        "name",
        "email",
        "subject",
        "subject",
        "message",
    ]


# Nested two levels deep, spelled out: in the whole suite (not alone) st.recursive warned that its extension
# does not recurse, its validation being kept per thread.
leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)


def nested(inner):
    return inner | st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)


json_values = nested(nested(leaves))
fields = st.sampled_from(
    ["name", "email", "subject", "message", "attachments", "topicId", "priority", "alert", "phone", "source"]
)


@settings(max_examples=150)
@given(st.dictionaries(fields, json_values, max_size=10) | json_values)
def test_any_json_value_is_read_or_refused(value):
    try:
        assert isinstance(read_request(value), TicketRequest)
    except Refused as refusal:
        assert refusal.problems


@settings(max_examples=150)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda text: f"<ticket>{text}</ticket>".encode()))
def test_any_body_is_read_or_refused_as_malformed(body):
    for read in (read_json, read_xml):
        try:
            read(body)
        except Malformed as refusal:
            assert str(refusal)

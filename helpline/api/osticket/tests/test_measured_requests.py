"""Each request that the real osTicket 1.18.1 was measured answering (shared/reference/osticket-api.md), shaped
as osTicket's documentation shows it, and Helpline's answer: osTicket's where a script depends on it, a 400
naming the field where osTicket answers 500 for the client's own mistake."""

import base64
import json
import uuid

import pytest

from helpline.tickets.models import Attachment, EntryKind, Source, ThreadEntry, Ticket

pytestmark = pytest.mark.django_db

JSON = "/api/tickets.json"
XML = "/api/tickets.xml"
EMAIL = "/api/tickets.email"

# The GIF of osTicket's XML example, whole.
GIF = (
    "R0lGODdhMAAwAPAAAAAAAP///ywAAAAAMAAwAAAC8IyPqcvt3wCcDkiLc7C0qwy"
    "GHhSWpjQu5yqmCYsapyuvUUlvONmOZtfzgFzByTB10QgxOR0TqBQejhRNzOfkVJ"
    "+5YiUqrXF5Y5lKh/DeuNcP5yLWGsEbtLiOSpa/TPg7JpJHxyendzWTBfX0cxOnK"
    "PjgBzi4diinWGdkF8kjdfnycQZXZeYGejmJlZeGl9i2icVqaNVailT6F5iJ90m6"
    "mvuTS4OK05M0vDk0Q4XUtwvKOzrcd3iq9uisF81M1OIcR7lEewwcLp7tuNNkM3u"
    "Nna3F2JQFo97Vriy/Xl4/f1cf5VWzXyym7PHhhx4dbgYKAAA7"
)
GIF_BYTES = base64.b64decode(GIF)


def documented(**changes):
    """osTicket's documented JSON example (without the trailing comma its page shows, which no JSON
    parser takes), message as HTML in a data URL."""
    ticket = {
        "alert": True,
        "autorespond": True,
        "source": "API",
        "name": "Angry User",
        "email": "api@osticket.com",
        "phone": "3185558634X123",
        "subject": "Testing API",
        "ip": "123.211.233.122",
        "message": "data:text/html,MESSAGE <b>HERE</b>",
        "attachments": [
            {"file.txt": "data:text/plain;charset=utf-8,content"},
            {"image.png": f"data:image/png;base64,{GIF}"},
        ],
    }
    ticket.update(changes)
    return {key: value for key, value in ticket.items() if value is not None}


DOCUMENTED_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ticket alert="true" autorespond="true" source="API">
    <name>Angry User</name>
    <email>api@osticket.com</email>
    <subject>Testing API</subject>
    <phone ext="123">318-555-8634</phone>
    <message type="text/plain"><![CDATA[Message content here]]></message>
    <attachments>
        <file name="note.txt" type="text/plain"><![CDATA[
            File content is here and is automatically trimmed
        ]]></file>
        <file name="image.gif" type="image/gif" encoding="base64">
            {GIF[:63]}
            {GIF[63:]}
        </file>
    </attachments>
    <ip>123.211.233.122</ip>
</ticket>
"""


def raw_message(*, sender="From: Rita <rita@example.test>\r\n", message_id=None):
    message_id = message_id or f"<{uuid.uuid4().hex}@example.test>"
    return (
        f"{sender}To: support@example.test\r\nSubject: Printer on fire\r\nMessage-ID: {message_id}\r\n"
        "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "It is really on fire.\r\n"
    ).encode()


def is_text(answer):
    return answer["Content-Type"].startswith("text/plain")


def test_documented_json_opens_a_ticket_and_answers_201_with_its_number(post, support):
    answer = post(JSON, json.dumps(documented()))
    assert answer.status_code == 201, answer.content
    assert is_text(answer)
    ticket = Ticket.objects.get(number=answer.content.decode())
    assert ticket.source == Source.API and ticket.subject == "Testing API" and ticket.department == support
    assert (ticket.requester.email, ticket.requester.name) == ("api@osticket.com", "Angry User")
    assert ticket.requester.phone == "3185558634 x123"
    message = ticket.entries.get(kind=EntryKind.MESSAGE)
    assert message.body_html == "MESSAGE <b>HERE</b>" and message.body_text == "MESSAGE HERE"
    files = {a.filename: a for a in Attachment.objects.filter(entry=message)}
    assert sorted(files) == ["file.txt", "image.png"]
    assert files["file.txt"].file.read() == b"content" and files["image.png"].file.read() == GIF_BYTES


@pytest.mark.parametrize("key", ["0123456789ABCDEF0123456789ABCDEF", ""], ids=["wrong key", "no key"])
def test_a_wrong_key_or_none_is_401_valid_api_key_required(post, key):
    answer = post(JSON, json.dumps(documented()), key=key)
    assert (answer.status_code, answer.content) == (401, b"Valid API key required")
    assert is_text(answer) and not Ticket.objects.exists()


def test_malformed_json_is_400_as_osticket_words_it(post):
    answer = post(JSON, '{"name": "Angry User", "email": ')
    assert (answer.status_code, answer.content) == (400, b"Syntax error, malformed JSON")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"email": None}, b"email: is required."),
        ({"name": None}, b"name: is required."),
        ({"email": "not-an-address"}, b"email: 'not-an-address' is not a valid email address."),
        ({"subject": None}, b"subject: is required."),
        ({"message": None}, b"message: is required."),
    ],
    ids=["missing email", "missing name", "invalid email", "missing subject", "missing message"],
)
def test_a_missing_or_invalid_field_is_400_naming_it_where_osticket_answers_500(post, changes, expected):
    answer = post(JSON, json.dumps(documented(**changes)))
    assert (answer.status_code, answer.content) == (400, expected)
    assert is_text(answer) and not Ticket.objects.exists()


def test_a_json_array_is_400_saying_an_object_is_expected(post):
    answer = post(JSON, json.dumps([documented()]))
    assert answer.status_code == 400
    assert answer.content.startswith(b"body: must be one JSON object")


@pytest.mark.parametrize(
    "changes", [{"topicId": 987654}, {"favourite_colour": "green"}], ids=["unknown topicId", "unknown field"]
)
def test_an_unknown_topic_id_or_an_unknown_field_is_ignored(post, support, changes):
    answer = post(JSON, json.dumps(documented(**changes)))
    assert answer.status_code == 201, answer.content
    assert Ticket.objects.get(number=answer.content.decode()).department == support


def test_a_plain_text_message_is_taken_as_text(post):
    answer = post(JSON, json.dumps(documented(message="MESSAGE <b>HERE</b>")))
    assert answer.status_code == 201
    message = ThreadEntry.objects.get(kind=EntryKind.MESSAGE)
    assert (message.body_text, message.body_html) == ("MESSAGE <b>HERE</b>", "")


def test_get_is_refused_with_405_naming_post(csrf_client, api_key):
    answer = csrf_client.get(JSON, headers={"X-API-Key": api_key})
    assert answer.status_code == 405 and answer["Allow"] == "POST"


def test_documented_xml_opens_a_ticket(post):
    answer = post(XML, DOCUMENTED_XML, content_type="application/xml")
    assert answer.status_code == 201, answer.content
    ticket = Ticket.objects.get(number=answer.content.decode())
    assert (ticket.subject, ticket.requester.phone) == ("Testing API", "318-555-8634 x123")
    message = ticket.entries.get(kind=EntryKind.MESSAGE)
    assert message.body_text == "Message content here"
    files = {a.filename: a for a in Attachment.objects.filter(entry=message)}
    assert files["note.txt"].file.read() == b"File content is here and is automatically trimmed"
    assert files["image.gif"].file.read() == GIF_BYTES


def test_malformed_xml_is_400_with_the_parser_s_position(post):
    answer = post(XML, "<ticket><name>Angry User</nam></ticket>", content_type="application/xml")
    assert answer.status_code == 400
    assert answer.content.startswith(b"XML error: Mismatched tag at line 1:")


def test_a_raw_message_opens_a_ticket_through_the_mail_intake(post):
    answer = post(EMAIL, raw_message(), content_type="message/rfc822")
    assert answer.status_code == 201, answer.content
    ticket = Ticket.objects.get(number=answer.content.decode())
    assert ticket.source == Source.EMAIL and ticket.requester.email == "rita@example.test"


def test_the_same_raw_message_again_answers_the_same_number_and_adds_nothing(post):
    message = raw_message()
    first = post(EMAIL, message, content_type="message/rfc822")
    again = post(EMAIL, message, content_type="message/rfc822")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert Ticket.objects.count() == 1
    assert ThreadEntry.objects.filter(kind=EntryKind.MESSAGE).count() == 1


def test_a_raw_message_without_from_is_400_naming_the_sender(post):
    answer = post(EMAIL, raw_message(sender=""), content_type="message/rfc822")
    assert answer.status_code == 400
    assert b"no sender" in answer.content and b"From" in answer.content
    assert not Ticket.objects.exists()


def test_a_2000_character_subject_is_accepted_and_cut(post):
    answer = post(JSON, json.dumps(documented(subject="S" * 2000)))
    assert answer.status_code == 201
    assert Ticket.objects.get().subject == "S" * 255


def test_a_subject_that_is_only_markup_is_400(post):
    answer = post(JSON, json.dumps(documented(subject="<img src=x onerror=alert(1)>")))
    assert (answer.status_code, answer.content) == (400, b"subject: is empty once its HTML is removed.")


def test_an_attachment_with_invalid_base64_is_refused_not_dropped(post):
    broken = {"report.pdf": "data:application/pdf;base64,%%%not-base64%%%"}
    answer = post(JSON, json.dumps(documented(attachments=[broken])))
    assert answer.status_code == 400
    assert answer.content == b"attachments: report.pdf: the data is not valid base64."
    assert not Ticket.objects.exists()

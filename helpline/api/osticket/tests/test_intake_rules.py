"""Beyond the measured requests: routing, notifications, the key's scope and networks, limits, and the
forms of input osTicket takes that a script may rely on."""

import json

import pytest

from helpline.api.keys import issue_key
from helpline.api.models import Scope
from helpline.catalog.models import Priority
from helpline.testsupport.factories import HelpTopicFactory
from helpline.tickets.models import Attachment, EntryKind, Notification, Ticket

pytestmark = pytest.mark.django_db

JSON = "/api/tickets.json"
XML = "/api/tickets.xml"


def ticket_body(**changes):
    body = {"name": "Angry User", "email": "api@osticket.com", "subject": "Testing API", "message": "Down."}
    body.update(changes)
    return json.dumps(body)


def kinds(answer):
    ticket = Ticket.objects.get(number=answer.content.decode())
    return sorted(Notification.objects.filter(ticket=ticket).values_list("kind", flat=True))


def test_a_topic_id_routes_as_the_topic_says_and_the_key_is_named_on_the_record(post, it_topic):
    answer = post(JSON, ticket_body(topicId=it_topic.pk))
    ticket = Ticket.objects.get(number=answer.content.decode())
    assert (ticket.topic, ticket.department) == (it_topic, it_topic.department)
    created = ticket.entries.get(kind=EntryKind.EVENT, event="created")
    assert created.data["entered_by"]["name"] == "API key Monitoring"


def test_a_priority_is_taken_by_id_or_by_name(post):
    high = Priority.objects.order_by("-urgency").first()
    for given in (high.pk, high.name.upper()):
        answer = post(JSON, ticket_body(priority=given))
        assert Ticket.objects.get(number=answer.content.decode()).priority == high


def test_a_priority_that_is_no_number_nor_name_is_ignored_like_an_unknown_one(post):
    """Digits int() does not read ("²") and ids past any stored one name no priority: the ticket gets the
    default, as for an unknown name."""
    default = Priority.default()
    for given in ("²", "9" * 30, "no such priority"):
        answer = post(JSON, ticket_body(priority=given))
        assert answer.status_code == 201, answer.content
        assert Ticket.objects.get(number=answer.content.decode()).priority == default


def test_alert_and_autorespond_true_notify_the_requester_the_department_and_the_assignee(post, support, sam):
    topic = HelpTopicFactory(name="Outage", department=support, assign_to_agent=sam)
    answer = post(JSON, ticket_body(topicId=topic.pk))
    assert kinds(answer) == ["assigned", "new_ticket_department", "new_ticket_requester"]


def test_alert_false_tells_no_agent_and_autorespond_false_no_requester(post, support, sam):
    topic = HelpTopicFactory(name="Outage", department=support, assign_to_agent=sam)
    quiet = post(JSON, ticket_body(topicId=topic.pk, alert=False))
    assert kinds(quiet) == ["new_ticket_requester"]
    assert Ticket.objects.get(number=quiet.content.decode()).assignee == sam  # assigned all the same
    silent = post(JSON, ticket_body(topicId=topic.pk, autorespond="false"))
    assert kinds(silent) == ["assigned", "new_ticket_department"]
    xml = '<ticket alert="false" autorespond="false"><name>A</name><email>a@example.test</email>'
    xml += "<subject>S</subject><message>M</message></ticket>"
    assert kinds(post(XML, xml, content_type="application/xml")) == []


def test_a_key_without_the_create_scope_is_401_not_authorized(post):
    reader = issue_key("Reader", [Scope.READ])[1]
    answer = post(JSON, ticket_body(), key=reader)
    assert (answer.status_code, answer.content) == (401, b"API key not authorized")


def test_a_key_bound_to_a_network_is_refused_from_elsewhere(post):
    bound = issue_key("Monitoring host", [Scope.CREATE], networks=["10.0.0.0/8"])[1]
    assert post(JSON, ticket_body(), key=bound, REMOTE_ADDR="10.2.3.4").status_code == 201
    refused = post(JSON, ticket_body(), key=bound, REMOTE_ADDR="192.0.2.7")
    assert (refused.status_code, refused.content) == (401, b"Valid API key required")


def test_a_personal_token_is_not_an_osticket_key(post, sam):
    from helpline.api.keys import issue_token

    assert post(JSON, ticket_body(), key=issue_token(sam, "mine")[1]).status_code == 401


def test_past_the_key_s_rate_limit_the_answer_is_429_with_retry_after(post, settings):
    settings.HELPLINE_API_RATE_LIMIT = 2
    assert [post(JSON, ticket_body()).status_code for _ in range(2)] == [201, 201]
    refused = post(JSON, ticket_body())
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert Ticket.objects.count() == 2


def test_a_body_over_the_limit_is_413_before_anything_is_opened(post, settings):
    settings.HELPLINE_MAX_EMAIL_BYTES = 200
    answer = post(JSON, ticket_body(message="x" * 300))
    assert answer.status_code == 413 and not Ticket.objects.exists()


def test_attachments_are_checked_as_the_portal_checks_uploads(post, settings):
    settings.HELPLINE_MAX_ATTACHMENTS = 2
    settings.HELPLINE_MAX_ATTACHMENT_BYTES = 10
    cases = {
        "tool.exe": (
            [{"tool.exe": "data:application/octet-stream;base64,TVqQAA=="}],
            b"tool.exe: .exe files",
        ),
        "big.txt": ([{"big.txt": "data:text/plain,01234567890"}], b"big.txt: the data is larger"),
        "three": ([{f"{n}.txt": "data:,x"} for n in "abc"], b"attachments: at most 2 files"),
        "not a data URL": ([{"a.txt": "plain text"}], b"a.txt: the file must be a data URL"),
    }
    for files, expected in cases.values():
        answer = post(JSON, ticket_body(attachments=files))
        assert answer.status_code == 400 and expected in answer.content, answer.content
    assert not Ticket.objects.exists()
    accepted = post(JSON, ticket_body(attachments=[{"a.txt": "data:,x"}, {"b.txt": "data:,y"}]))
    assert accepted.status_code == 201 and Attachment.objects.count() == 2


def test_html_messages_are_sanitized_as_everywhere(post):
    html = "data:text/html,<p onclick='x()'>Hi<script>alert(1)</script></p>"
    post(JSON, ticket_body(message=html))
    assert Ticket.objects.get().entries.get(kind=EntryKind.MESSAGE).body_html == "<p>Hi</p>"


def test_a_message_that_is_only_markup_is_400(post):
    answer = post(JSON, ticket_body(message="data:text/html,<script>alert(1)</script>"))
    assert (answer.status_code, answer.content) == (400, b"message: is empty once its HTML is sanitized.")


def test_xml_with_a_document_type_is_refused_so_no_entity_expands(post):
    bomb = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">]><ticket><name>&a;</name></ticket>'
    answer = post(XML, bomb, content_type="application/xml")
    assert answer.status_code == 400 and b"document type" in answer.content


def test_fields_may_be_attributes_of_the_root_element(post):
    xml = '<ticket name="Angry User" email="api@osticket.com" subject="Testing API"><message>M</message></ticket>'
    assert post(XML, xml, content_type="application/xml").status_code == 201


def test_curl_d_s_form_content_type_is_read_as_the_body(post):
    answer = post(JSON, ticket_body(), content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 201, answer.content


def test_the_v1_api_is_not_shadowed(client, api_key):
    assert client.get("/api/v1/me", headers={"X-API-Key": api_key}).status_code == 200


def test_a_form_posted_body_larger_than_django_s_form_limit_is_read_whole(post, settings):
    # curl -d, as osTicket's documentation uses it, sends the JSON as a form; its attachments make it large.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    files = [{"log.txt": "data:text/plain," + "x" * 2000}]
    answer = post(JSON, ticket_body(attachments=files), content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 201, answer.content
    assert Attachment.objects.get().size == 2000


def test_a_ticket_a_filter_rule_rejects_is_403_ticket_denied_with_the_rule_s_reply(post, make_rule):
    from helpline.routing.models import ActionKind, ConditionField, Operator

    make_rule(
        "No outages here",
        conditions=[(ConditionField.SUBJECT, Operator.CONTAINS, "outage")],
        actions=[(ActionKind.REJECT, "Outages are announced on status.example.test.")],
    )
    answer = post(JSON, ticket_body(subject="Big outage"))
    assert answer.status_code == 403
    assert answer.content == b"Ticket denied: Outages are announced on status.example.test."
    assert not Ticket.objects.exists()

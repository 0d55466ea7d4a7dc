"""Opening a ticket in the portal (portal:home) and the confirmation page (portal:created)."""

import re

import pytest
from django.urls import reverse

from helpline.catalog.models import State
from helpline.people.models import Requester
from helpline.portal.protection import ONE_TIME_FIELD
from helpline.portal.tests.helpers import assert_private, form_token, upload
from helpline.routing.models import ActionKind, ConditionField, Operator
from helpline.testsupport.factories import DepartmentFactory, HelpTopicFactory
from helpline.tickets.access import access_token, access_url
from helpline.tickets.models import Attachment, EntryKind, Source, Ticket

HOME = "/portal/"


def test_the_form_offers_active_public_topics_only(client, support_topic, it_department):
    HelpTopicFactory(name="Internal audit", department=it_department, is_public=False)
    HelpTopicFactory(name="Retired topic", department=it_department, is_active=False)
    HelpTopicFactory(name="Closed department", department=DepartmentFactory(name="Gone", is_active=False))

    response = client.get(HOME)

    page = response.content.decode()
    assert response.status_code == 200
    assert "General inquiry" in page
    assert "Internal audit" not in page and "Retired topic" not in page and "Closed department" not in page
    for control in (
        "id_name",
        "id_email",
        "id_phone",
        "id_topic",
        "id_subject",
        "id_message",
        "id_attachments",
    ):
        assert f'id="{control}"' in page and f'for="{control}"' in page
    assert re.search(r'<button type="submit">Open ticket</button>', page)
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page


def test_opening_a_ticket_routes_it_and_shows_the_access_link_that_was_emailed(
    client, form_data, support, support_topic, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(HOME, form_data | {"attachments": [upload("log.txt", b"dropped at 10:00")]})

    ticket = Ticket.objects.get()
    requester = ticket.requester
    assert (requester.name, requester.email, requester.phone) == (
        "Nora Newcomer",
        "nora@example.test",
        "+1 555 0100",
    )
    assert ticket.subject == "VPN drops every hour" and ticket.source == Source.WEB
    assert ticket.topic == support_topic and ticket.department == support and ticket.state == State.OPEN
    message = ticket.entries.get(kind=EntryKind.MESSAGE)
    assert message.body_text == form_data["message"] and message.author_requester == requester
    assert [a.filename for a in message.attachments.all()] == ["log.txt"]

    token = access_token(ticket, requester)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:created", args=[token])
    assert_private(response)

    page = client.get(response["Location"])
    link = access_url(ticket, requester)
    assert page.status_code == 200
    assert f"Ticket #{ticket.number} created" in page.content.decode()
    assert "VPN drops every hour" in page.content.decode()
    assert f'id="access-link" href="{link}"' in page.content.decode()
    assert "emailed the same link" in page.content.decode()
    assert_private(page)

    [confirmation] = [mail for mail in mailoutbox if mail.to == ["nora@example.test"]]
    assert f"#{ticket.number}" in confirmation.subject
    assert link in confirmation.body


def test_refreshing_the_confirmation_opens_no_second_ticket(client, form_data):
    response = client.post(HOME, form_data, follow=True)
    assert response.redirect_chain and response.status_code == 200
    final_url = response.redirect_chain[-1][0]

    for _ in range(2):
        assert client.get(final_url).status_code == 200

    assert Ticket.objects.count() == 1


def test_an_existing_requester_keeps_their_name(client, form_data, rita):
    client.post(HOME, form_data | {"name": "Mallory", "email": "RITA@EXAMPLE.TEST", "phone": "999"})

    ticket = Ticket.objects.get()
    rita.refresh_from_db()
    assert ticket.requester == rita
    assert (rita.name, rita.phone) == ("Rita Requester", "")
    assert Requester.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "", "This field is required."),
        ("email", "", "This field is required."),
        ("email", "not-an-address", "Enter a valid email address."),
        ("email", "rita@example.test\r\nBcc: victim@example.test", "Enter a valid email address."),
        ("topic", "", "This field is required."),
        ("topic", "999999", "Choose one of the topics offered."),
        ("subject", "", "This field is required."),
        ("subject", "x" * 256, "Ensure this value has at most 255 characters (it has 256)."),
        ("message", "   ", "This field is required."),
        ("message", "x" * 100_001, "Ensure this value has at most 100000 characters (it has 100001)."),
    ],
)
def test_bad_input_is_refused_field_by_field(client, form_data, field, value, error):
    response = client.post(HOME, form_data | {field: value})

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert error in response.content.decode()
    assert not Ticket.objects.exists() and not Requester.objects.exists()


@pytest.mark.parametrize(
    "topic_options",
    [{"is_public": False}, {"is_active": False}],
    ids=["private", "inactive"],
)
def test_a_topic_not_offered_is_refused(client, form_data, it_department, topic_options):
    hidden = HelpTopicFactory(name="Hidden topic", department=it_department, **topic_options)

    response = client.post(HOME, form_data | {"topic": hidden.pk})

    assert response.context["form"].errors["topic"] == ["Choose one of the topics offered."]
    assert not Ticket.objects.exists() and not Requester.objects.exists()


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "Invoice.PDF.exe", "image.svg"])
def test_dangerous_attachment_types_are_refused(client, form_data, name):
    response = client.post(HOME, form_data | {"attachments": [upload("fine.txt"), upload(name)]})

    errors = response.context["form"].errors["attachments"]
    extension = name.rsplit(".", 1)[-1].lower()
    assert errors == [f"{name}: .{extension} files are not accepted."]
    assert "files are not accepted" in response.content.decode()
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_too_large_an_attachment_is_refused(client, form_data, settings):
    settings.HELPLINE_MAX_ATTACHMENT_BYTES = 10

    response = client.post(HOME, form_data | {"attachments": [upload("big.txt", b"x" * 11)]})

    assert response.context["form"].errors["attachments"] == ["big.txt is larger than 10\xa0bytes."]
    assert not Ticket.objects.exists()


def test_too_many_attachments_are_refused(client, form_data, settings):
    settings.HELPLINE_MAX_ATTACHMENTS = 2

    files = [upload(f"part{n}.txt") for n in range(3)]
    response = client.post(HOME, form_data | {"attachments": files})

    assert response.context["form"].errors["attachments"] == ["At most 2 files may be attached at once."]
    assert not Ticket.objects.exists()


def test_more_files_than_a_request_may_carry_is_a_bad_request(client, form_data, settings):
    files = [upload(f"part{n}.txt") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]

    response = client.post(HOME, form_data | {"attachments": files})

    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_bad_input_keeps_what_was_typed(client, form_data):
    response = client.post(HOME, form_data | {"subject": ""})

    page = response.content.decode()
    assert 'value="Nora Newcomer"' in page
    assert "Since Monday the VPN disconnects every hour." in page


def test_the_confirmation_page_needs_a_valid_token(client, ticket, rita):
    token = access_token(ticket, rita)

    response = client.get(reverse("portal:created", args=[token[:-2] + "xx"]))

    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert_private(response)


def test_opening_is_a_post_with_csrf(form_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(HOME, form_data)

    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_a_requester_at_the_open_ticket_limit_gets_a_clear_error(client, form_data, settings):
    settings.HELPLINE_MAX_OPEN_TICKETS = 1
    assert client.post(reverse("portal:home"), form_data).status_code == 302
    response = client.post(reverse("portal:home"), form_data | {ONE_TIME_FIELD: form_token()})
    assert response.status_code == 200
    assert b"You already have 1 open ticket." in response.content
    assert Ticket.objects.count() == 1


def test_a_filter_rules_rejection_is_shown_and_opens_nothing(client, form_data, make_rule):
    make_rule(
        "No VPN tickets",
        conditions=[(ConditionField.SUBJECT, Operator.CONTAINS, "vpn")],
        actions=[(ActionKind.REJECT, "VPN problems are handled by the network desk at net@example.test.")],
    )
    response = client.post(HOME, form_data)
    assert response.status_code == 200
    assert b"VPN problems are handled by the network desk at net@example.test." in response.content
    assert b"Since Monday the VPN disconnects every hour." in response.content  # what was typed is kept
    assert not Ticket.objects.exists() and not Requester.objects.exists()

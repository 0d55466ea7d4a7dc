"""Replying from the ticket page (portal:reply)."""

import re

import pytest
from django.test import Client

from helpline.catalog.models import State, TicketStatus
from helpline.portal.tests.helpers import assert_private, portal_url, upload
from helpline.routing.models import ActionKind, ConditionField, Operator
from helpline.tickets.actions import set_status
from helpline.tickets.models import EntryKind, ThreadEntry


def messages_of(ticket) -> list[ThreadEntry]:
    return list(ticket.entries.filter(kind=EntryKind.MESSAGE).order_by("id"))


def test_a_reply_posts_a_message_and_comes_back_to_the_page(client, ticket, rita):
    response = client.post(
        portal_url("reply", ticket, rita),
        {"message": "Still smoking.\nSend help.", "attachments": [upload("smoke.txt", b"lots")]},
    )

    assert response.status_code == 302
    assert response["Location"] == portal_url("ticket", ticket, rita)
    assert_private(response)
    latest = messages_of(ticket)[-1]
    assert latest.body_text == "Still smoking.\nSend help." and latest.author_requester == rita
    assert [a.filename for a in latest.attachments.all()] == ["smoke.txt"]

    page = client.get(response["Location"]).content.decode()
    assert "Your reply was sent." in page
    assert "Still smoking.<br>Send help." in page and "smoke.txt" in page


def test_a_reply_alerts_the_department(
    client, ticket, rita, sam, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(portal_url("reply", ticket, rita), {"message": "Any news?"})

    assert any("sam@staff.example.test" in mail.to for mail in mailoutbox)


@pytest.mark.parametrize("state", [State.RESOLVED, State.CLOSED])
def test_a_reply_reopens_a_finished_ticket(client, ticket, rita, sam, state):
    set_status(actor=sam, ticket=ticket, status=TicketStatus.default_for(state))

    response = client.post(
        portal_url("reply", ticket, rita), {"message": "It caught fire again."}, follow=True
    )

    ticket.refresh_from_db()
    assert ticket.state == State.OPEN and ticket.reopen_count == 1
    assert "Your reply was sent and the ticket is open again." in response.content.decode()


def test_an_empty_reply_is_refused(client, ticket, rita):
    before = len(messages_of(ticket))

    response = client.post(portal_url("reply", ticket, rita), {"message": "   "})

    assert response.status_code == 200
    assert response.context["reply_form"].errors["message"] == ["This field is required."]
    assert "This field is required." in response.content.decode()
    assert len(messages_of(ticket)) == before
    assert_private(response, referrer_policy="strict-origin")


def test_a_reply_too_long_is_refused(client, ticket, rita):
    response = client.post(portal_url("reply", ticket, rita), {"message": "x" * 100_001})

    assert response.context["reply_form"].errors["message"] == [
        "Ensure this value has at most 100000 characters (it has 100001)."
    ]
    assert len(messages_of(ticket)) == 1


def test_a_refused_attachment_keeps_the_reply_unsent(client, ticket, rita):
    response = client.post(
        portal_url("reply", ticket, rita), {"message": "See attached.", "attachments": [upload("run.exe")]}
    )

    assert response.context["reply_form"].errors["attachments"] == ["run.exe: .exe files are not accepted."]
    assert "See attached." in response.content.decode()
    assert len(messages_of(ticket)) == 1


def test_a_collaborator_may_reply(client, shared_ticket, colin):
    response = client.post(portal_url("reply", shared_ticket, colin), {"message": "Same here."})

    assert response.status_code == 302
    latest = messages_of(shared_ticket)[-1]
    assert latest.author_requester == colin and latest.author_name == "Colin Collaborator"


def test_a_reply_needs_a_valid_link(client, ticket, rita):
    url = portal_url("reply", ticket, rita).replace("/t/", "/t/x")

    response = client.post(url, {"message": "Hello?"})

    assert response.status_code == 404
    assert len(messages_of(ticket)) == 1


def test_replying_is_never_a_get(client, ticket, rita):
    response = client.get(portal_url("reply", ticket, rita), {"message": "Sneaky"})

    assert response.status_code == 405
    assert len(messages_of(ticket)) == 1
    assert_private(response)


def test_a_reply_from_the_page_passes_the_csrf_origin_check(ticket, rita):
    """Browsers send the Origin the page's referrer policy allows: the real one must pass, as a "null"
    one (what "no-referrer" would make them send) does not."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(portal_url("ticket", ticket, rita))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    form = {"message": "From a browser.", "csrfmiddlewaretoken": token}

    refused = browser.post(portal_url("reply", ticket, rita), form, headers={"Origin": "null"})
    sent = browser.post(portal_url("reply", ticket, rita), form, headers={"Origin": "http://testserver"})

    assert page["Referrer-Policy"] == "strict-origin"
    assert (refused.status_code, sent.status_code) == (403, 302)
    assert messages_of(ticket)[-1].body_text == "From a browser."


def test_a_reply_without_the_csrf_token_is_refused(ticket, rita):
    response = Client(enforce_csrf_checks=True).post(portal_url("reply", ticket, rita), {"message": "Hi"})

    assert response.status_code == 403
    assert len(messages_of(ticket)) == 1


def test_a_reply_a_filter_rule_rejects_is_refused_with_its_reason(client, ticket, rita, make_rule):
    make_rule(
        "No file-sharing links",
        on_messages=True,
        conditions=[(ConditionField.BODY, Operator.CONTAINS, "wetransfer")],
        actions=[(ActionKind.REJECT,)],
    )
    before = len(messages_of(ticket))
    response = client.post(portal_url("reply", ticket, rita), {"message": "See wetransfer.com/abc"})
    assert response.status_code == 200
    assert b"This request cannot be accepted by the help desk." in response.content
    assert len(messages_of(ticket)) == before

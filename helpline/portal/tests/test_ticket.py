"""The ticket page behind a requester's access link (portal:ticket)."""

import re

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.portal.tests.helpers import assert_private, portal_url, upload
from helpline.testsupport.factories import RequesterFactory
from helpline.tickets.access import SALT, access_token
from helpline.tickets.actions import add_note, assign_ticket, post_reply, set_priority, set_status
from helpline.tickets.models import EntryKind
from helpline.tickets.models.ticket import new_access_secret


def entries_shown(page: str) -> list[str]:
    return re.findall(r'<article class="entry (\w+)"', page)


def test_the_page_shows_the_ticket_and_its_public_thread(client, ticket, rita, sam):
    post_reply(actor=sam, ticket=ticket, body="Please restart the printer.\nThen call us.")
    add_note(actor=sam, ticket=ticket, body="Secret: the printer is older than me.")
    assign_ticket(actor=sam, ticket=ticket, agent=sam)
    set_priority(actor=sam, ticket=ticket, priority=Priority.objects.get(name="High"))

    response = client.get(portal_url("ticket", ticket, rita))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"#{ticket.number}" in page and "Printer on fire" in page
    assert '<dd class="status">Open</dd>' in page and "<dt>Department</dt><dd>Support</dd>" in page
    assert ticket.created_at.strftime("%Y-%m-%dT%H:%M") in page
    assert "It is really on fire." in page
    assert "Please restart the printer.<br>Then call us." in page
    assert "Sam" in page and "Rita Requester" in page
    assert "Secret" not in page and "older than me" not in page
    assert entries_shown(page) == [EntryKind.MESSAGE, EntryKind.RESPONSE]
    assert all(entry.kind in (EntryKind.MESSAGE, EntryKind.RESPONSE) for entry in response.context["entries"])
    assert "High" not in page and "Assigned" not in page


def test_the_page_is_private(client, ticket, rita):
    response = client.get(portal_url("ticket", ticket, rita))

    # Only the origin, never the path with the token, goes out as a referrer from the page with forms.
    assert_private(response, referrer_policy="strict-origin")
    assert response["X-Frame-Options"] == "DENY"


def sign(payload, salt=SALT) -> str:
    """A token signed as the portal signs them, so only its content is wrong."""
    return signing.Signer(salt=salt).sign_object(payload, compress=True)


def forged_tokens(ticket, rita):
    good = access_token(ticket, rita)
    return {
        "tampered": good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb"),
        "garbage": "not-a-token",
        "wrong salt": sign([ticket.pk, rita.pk, ticket.access_secret[:12]], salt="other"),
        "wrong secret": sign([ticket.pk, rita.pk, "x" * 12]),
        "not a list": sign({"ticket": ticket.pk}),
        "strings": sign([str(ticket.pk), str(rita.pk), ticket.access_secret[:12]]),
        "no ticket": sign([ticket.pk + 1000, rita.pk, ticket.access_secret[:12]]),
    }


@pytest.mark.parametrize(
    "kind", ["tampered", "garbage", "wrong salt", "wrong secret", "not a list", "strings", "no ticket"]
)
def test_a_forged_token_is_not_found(client, ticket, rita, kind):
    token = forged_tokens(ticket, rita)[kind]

    response = client.get(reverse("portal:ticket", args=[token]))

    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert "Printer on fire" not in response.content.decode()
    assert_private(response)


def test_a_token_does_not_open_someone_elses_ticket(client, open_for, ticket, rita, support_topic):
    stranger = RequesterFactory()
    other = open_for(stranger, support_topic, subject="Stranger's secret")
    # Signed properly, but naming a ticket Rita does not take part in.
    token = sign([other.pk, rita.pk, other.access_secret[:12]])

    response = client.get(reverse("portal:ticket", args=[token]))

    assert response.status_code == 404
    assert "Stranger" not in response.content.decode()


def test_rotating_the_secret_revokes_the_link(client, ticket, rita):
    url = portal_url("ticket", ticket, rita)
    assert client.get(url).status_code == 200

    ticket.access_secret = new_access_secret()
    ticket.save(update_fields=["access_secret"])

    assert client.get(url).status_code == 404
    assert client.get(portal_url("ticket", ticket, rita)).status_code == 200


def test_a_message_is_escaped(client, open_for, rita, support_topic):
    ticket = open_for(rita, support_topic, subject="<b>bold</b>", body="<script>alert(1)</script>")

    page = client.get(portal_url("ticket", ticket, rita)).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page


def test_an_html_response_is_shown_sanitized(client, ticket, rita, sam):
    body = '<p>Try <strong>this</strong></p><script>alert(2)</script><img src="x" onerror="alert(3)">'
    post_reply(actor=sam, ticket=ticket, body=body, body_format="html")

    page = client.get(portal_url("ticket", ticket, rita)).content.decode()

    assert "<p>Try <strong>this</strong></p>" in page
    assert "alert(2)" not in page and "onerror" not in page


def test_the_page_links_public_attachments(client, open_for, rita, support_topic, sam):
    ticket = open_for(rita, support_topic, attachments=[upload("photo.png", b"\x89PNG\r\n")])
    post_reply(actor=sam, ticket=ticket, body="See the manual.", attachments=[upload("manual.txt")])
    add_note(actor=sam, ticket=ticket, body="Internal.", attachments=[upload("internal.txt")])

    page = client.get(portal_url("ticket", ticket, rita)).content.decode()

    for attachment in ticket.entries.get(kind=EntryKind.MESSAGE).attachments.all():
        assert portal_url("attachment", ticket, rita, attachment.pk) in page
    assert "photo.png" in page and "manual.txt" in page
    assert "internal.txt" not in page


def buttons(page: str) -> set[str]:
    return set(re.findall(r"<button[^>]*>(Close ticket|Reopen ticket|Send reply)</button>", page))


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (State.OPEN, {"Send reply", "Close ticket"}),
        (State.RESOLVED, {"Send reply", "Close ticket", "Reopen ticket"}),
        (State.CLOSED, {"Send reply", "Reopen ticket"}),
    ],
)
def test_the_requester_sees_the_buttons_the_state_allows(client, ticket, rita, sam, state, expected):
    if state != State.OPEN:
        set_status(actor=sam, ticket=ticket, status=TicketStatus.default_for(state))

    page = client.get(portal_url("ticket", ticket, rita)).content.decode()

    assert buttons(page) == expected
    assert ("Sending a reply opens it again." in page) is (state != State.OPEN)


def test_a_collaborator_may_reply_but_sees_no_close_or_reopen(client, shared_ticket, colin, sam):
    set_status(actor=sam, ticket=shared_ticket, status=TicketStatus.default_for(State.RESOLVED))

    page = client.get(portal_url("ticket", shared_ticket, colin)).content.decode()

    assert "Shared drive is full" in page
    assert buttons(page) == {"Send reply"}


def test_the_forms_post_with_csrf(client, ticket, rita):
    page = client.get(portal_url("ticket", ticket, rita)).content.decode()

    forms = re.findall(r"<form[^>]*>", page)
    assert len(forms) == 3  # reply, close and the time zone
    assert all('method="post"' in form for form in forms)
    assert page.count("csrfmiddlewaretoken") == 3


def test_the_number_of_queries_does_not_grow_with_the_thread(client, ticket, rita, sam, lena):
    url = portal_url("ticket", ticket, rita)
    client.get(url)  # warm up: the session and the status rows
    with CaptureQueriesContext(connection) as short:
        assert client.get(url).status_code == 200

    for n in range(4):
        post_reply(actor=sam, ticket=ticket, body=f"Response {n}", attachments=[upload(f"r{n}.txt")])
        post_reply(actor=lena, ticket=ticket, body=f"Another view {n}")
        add_note(actor=sam, ticket=ticket, body=f"Note {n}", attachments=[upload(f"n{n}.txt")])
    with CaptureQueriesContext(connection) as long:
        response = client.get(url)

    assert len(entries_shown(response.content.decode())) == 9
    assert len(long.captured_queries) == len(short.captured_queries)

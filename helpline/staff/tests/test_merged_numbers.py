"""A merged ticket's number keeps leading to the ticket it was merged into: its staff page redirects there,
the merged ticket is in no queue, and its requester's old access link and email replies land there."""

import io
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from helpline.inbound.models import Mailbox
from helpline.mail.models import OutboundEmail
from helpline.testsupport.factories import RequesterFactory
from helpline.tickets.access import access_token
from helpline.tickets.actions import merge_tickets
from helpline.tickets.models import EntryKind


@pytest.fixture
def olga(db):
    return RequesterFactory(name="Olga Other", email="olga@example.test")


@pytest.fixture
def merged(open_for, rita, olga, support_topic, sam, django_capture_on_commit_callbacks):
    """Olga's ticket merged into Rita's, by Sam (the emails of both openings sent)."""
    target = open_for(rita, support_topic, subject="Printer jam")
    source = open_for(olga, support_topic, subject="Printer broken", body="Olga: it is broken")
    with django_capture_on_commit_callbacks(execute=True):
        merge_tickets(actor=sam, source=source, target=target)
    source.refresh_from_db()
    target.refresh_from_db()
    return source, target


def test_the_old_numbers_staff_page_redirects_to_the_target(merged, sam_client):
    source, target = merged
    response = sam_client.get(reverse("staff:ticket", args=[source.number]))
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:ticket", args=[target.number])
    page = sam_client.get(response["Location"]).content.decode()
    assert f"merged #{source.number} (Printer broken) into this ticket" in page
    assert "Olga: it is broken" in page


def test_a_reply_to_a_ticket_merged_meanwhile_leads_to_the_target_and_changes_nothing(merged, sam_client):
    source, target = merged
    entries = source.entries.count() + target.entries.count()
    url = reverse("staff:reply", args=[source.number])
    response = sam_client.post(url, {"body": "Here is the fix."}, follow=True)
    assert response.redirect_chain == [(reverse("staff:ticket", args=[target.number]), 302)]
    assert f"Ticket #{source.number} was merged into #{target.number}" in response.content.decode()
    assert source.entries.count() + target.entries.count() == entries


def test_an_agent_who_may_not_see_the_target_is_told_nothing(merged, client_for, ivan):
    source, _ = merged
    response = client_for(ivan).get(reverse("staff:ticket", args=[source.number]))
    assert response.status_code == 404


def test_the_merged_ticket_is_in_no_queue(merged, sam_client):
    source, target = merged
    closed = sam_client.get(reverse("staff:queue", args=["closed"])).content.decode()
    opened = sam_client.get(reverse("staff:queue", args=["open"])).content.decode()
    assert f"ticket-{source.number}" not in closed + opened
    assert f"ticket-{target.number}" in opened


def test_the_old_portal_link_shows_the_target(merged, olga):
    source, target = merged
    client = Client()
    old = reverse("portal:ticket", args=[access_token(source, olga)])
    response = client.get(old)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:ticket", args=[access_token(target, olga)])
    page = client.get(response["Location"]).content.decode()
    assert f"merged into ticket #{target.number}" in page
    assert "Printer jam" in page and "Olga: it is broken" in page
    # A reply posted through the old link (a page left open) lands on the target too.
    assert client.post(old + "reply/", {"message": "Olga again"}).status_code == 302
    assert target.entries.filter(kind=EntryKind.MESSAGE).last().body_text == "Olga again"


def pipe(data: bytes) -> int:
    try:
        call_command("mail_pipe", stdin=io.BytesIO(data), stderr=io.StringIO())
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def email(subject: str, body: str, **headers) -> bytes:
    message = EmailMessage()
    message["From"] = "Olga Other <olga@example.test>"
    message["To"] = "support@example.test"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mail.example.test")
    for name, value in headers.items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def desk(support, support_topic):
    return Mailbox.objects.create(
        name="Support desk",
        address="support@example.test",
        department=support,
        topic=support_topic,
        is_default=True,
    )


def test_an_email_reply_with_the_old_token_lands_on_the_target(merged, desk):
    source, target = merged
    assert pipe(email(f"Re: [#{source.number}] Printer broken", "Olga by token")) == 0
    assert target.entries.filter(kind=EntryKind.MESSAGE).last().body_text == "Olga by token"
    assert not source.entries.filter(kind=EntryKind.MESSAGE).exists()
    target.refresh_from_db()
    assert target.state == "open"


def test_an_email_reply_to_the_old_tickets_email_lands_on_the_target(merged, desk):
    source, target = merged
    sent = OutboundEmail.objects.get(ticket_id=source.pk, recipient="olga@example.test")
    assert pipe(email("Re: your request", "Olga by reference", **{"In-Reply-To": sent.message_id})) == 0
    assert target.entries.filter(kind=EntryKind.MESSAGE).last().body_text == "Olga by reference"


def test_searching_the_old_number_finds_the_target(merged, client_for, sam, it_department, support):
    source, target = merged
    response = client_for(sam).get(reverse("staff:search"), {"q": source.number})
    assert response.status_code == 302  # to the old number's page, which leads on to the target
    # An agent who could not see the merged ticket, but sees the one it went into, is led there at once.
    source.department = it_department
    source.save(update_fields=["department"])
    response = client_for(sam).get(reverse("staff:search"), {"q": f"#{source.number}"})
    assert response["Location"] == reverse("staff:ticket", args=[target.number])

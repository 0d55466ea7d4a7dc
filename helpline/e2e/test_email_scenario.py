"""The email side of the lifecycle, in a real headless Chromium against a live server: a requester emails
the desk (through the mail server's pipe) and gets the acknowledgement; the agent answers in the staff
panel; the requester answers that email from their mail client, and the answer shows on the same ticket."""

import io
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from helpline.e2e.test_support_scenario import sign_in
from helpline.inbound.models import Mailbox
from helpline.tickets.models import EntryKind, Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def pipe(message: EmailMessage) -> None:
    call_command("mail_pipe", stdin=io.BytesIO(message.as_bytes()))


def received(address: str) -> list[EmailMessage]:
    """The emails sent to ``address``, as the requester's mail client reads them."""
    return [
        message_from_bytes(sent.message().as_bytes(), policy=policy.default)
        for sent in mail.outbox
        if sent.to == [address]
    ]


def test_a_requester_writes_by_email_and_answers_the_agent_by_email(
    live_server, page: Page, settings, support, support_topic, sam, django_capture_on_commit_callbacks
):
    settings.SITE_URL = live_server.url
    support.reply_address = "support@helpline.example"
    support.save()
    Mailbox.objects.create(
        name="Support desk", address="support@helpline.example", department=support, is_default=True
    )

    first = EmailMessage()
    first["From"] = "Rita Requester <rita@example.test>"
    first["To"] = "support@helpline.example"
    first["Subject"] = "Laptop will not charge"
    first["Message-ID"] = make_msgid(domain="mail.example.test")
    first.set_content("The charger light stays off since this morning.")
    pipe(first)
    ticket = Ticket.objects.get(subject="Laptop will not charge")
    [acknowledgement] = received("rita@example.test")
    assert f"[#{ticket.number}]" in acknowledgement["Subject"]
    assert acknowledgement["In-Reply-To"] == first["Message-ID"]

    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/staff/tickets/{ticket.number}/")
    expect(page.locator("main")).to_contain_text("The charger light stays off")
    page.fill("#reply-body", "Please try another outlet and tell me what the light does.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".messages")).to_contain_text("Reply posted")

    response = received("rita@example.test")[-1]
    assert "another outlet" in response.get_body(preferencelist=("plain",)).get_content()
    answer = EmailMessage()
    answer["From"] = "Rita Requester <rita@example.test>"
    answer["To"] = response["Reply-To"]
    answer["Subject"] = "Re: " + response["Subject"]
    answer["Message-ID"] = make_msgid(domain="mail.example.test")
    answer["In-Reply-To"] = response["Message-ID"]
    answer["References"] = f"{response['References']} {response['Message-ID']}"
    answer.set_content(
        "Another outlet works: it was the power strip.\n\n"
        "On Tue, 1 Dec 2026 at 18:00, Helpline Support <support@helpline.example> wrote:\n"
        "> Please try another outlet and tell me what the light does.\n"
    )
    pipe(answer)

    page.reload()
    expect(page.locator("main")).to_contain_text("Another outlet works: it was the power strip.")
    assert Ticket.objects.count() == 1
    assert list(ticket.entries.filter(kind=EntryKind.MESSAGE).values_list("body_text", flat=True)) == [
        "The charger light stays off since this morning.",
        "Another outlet works: it was the power strip.",
    ]

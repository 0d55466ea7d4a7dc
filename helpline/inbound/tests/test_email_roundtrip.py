"""Email all the way round, with real servers: a requester's email fetched from Dovecot opens a ticket; the
acknowledgement and the agent's response go out through a real SMTP server; the requester's reply to that
email, fetched again, lands on the same ticket, and the agent's reply by email becomes a response."""

from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from helpline.inbound.tests.conftest import mail_fetch
from helpline.testsupport.smtpserver import smtp_inbox, smtp_server  # noqa: F401 - the fixtures
from helpline.tickets.actions import post_reply
from helpline.tickets.models import EntryKind, Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def reply_to(received: EmailMessage, sender: str, body: str) -> bytes:
    """What a mail client sends when its user answers ``received``."""
    answer = EmailMessage(policy=policy.SMTP)
    answer["From"] = sender
    answer["To"] = received["Reply-To"] or received["From"]
    answer["Subject"] = "Re: " + received["Subject"]
    answer["Message-ID"] = make_msgid(domain="mail.example.test")
    answer["In-Reply-To"] = received["Message-ID"]
    answer["References"] = " ".join(filter(None, [received["References"], received["Message-ID"]]))
    answer.set_content(f"{body}\n\nOn Monday the desk wrote:\n> {text_of(received).splitlines()[0]}\n")
    return answer.as_bytes()


def test_a_conversation_by_email(mailbox_on, dovecot, support, sam, smtp_inbox):  # noqa: F811
    mailbox, user = mailbox_on("imap", "ssl")
    support.reply_address = mailbox.address
    support.save()
    first = EmailMessage()
    first["From"] = "Rita Requester <rita@example.test>"
    first["To"] = mailbox.address
    first["Subject"] = "VPN drops every hour"
    first["Message-ID"] = make_msgid(domain="mail.example.test")
    first.set_content("Since Monday the VPN disconnects every hour.")
    dovecot.deliver(user, first.as_bytes())
    assert mail_fetch("--mailbox", mailbox.name) == [f"{mailbox.name}: fetched 1, stored 1"]
    ticket = Ticket.objects.get()
    assert (ticket.requester.email, ticket.department) == ("rita@example.test", support)

    acknowledgement = next(m for m in smtp_inbox.messages() if m["To"] == "rita@example.test")
    assert f"[#{ticket.number}]" in acknowledgement["Subject"]
    assert acknowledgement["Reply-To"].addresses[0].addr_spec == mailbox.address
    post_reply(actor=sam, ticket=ticket, body="Please update the client to 5.2.")
    response = [m for m in smtp_inbox.messages() if m["To"] == "rita@example.test"][-1]
    assert "update the client" in text_of(response)

    dovecot.deliver(user, reply_to(response, "rita@example.test", "Updated; it still drops."))
    alert = next(m for m in smtp_inbox.messages() if m["To"] == "sam@staff.example.test")
    dovecot.deliver(user, reply_to(alert, "sam@staff.example.test", "Then it is the concentrator; on it."))
    assert mail_fetch("--mailbox", mailbox.name) == [f"{mailbox.name}: fetched 2, stored 2"]

    assert Ticket.objects.count() == 1
    thread = list(
        ticket.entries.exclude(kind=EntryKind.EVENT).order_by("id").values_list("kind", "body_text")
    )
    assert thread == [
        (EntryKind.MESSAGE, "Since Monday the VPN disconnects every hour."),
        (EntryKind.RESPONSE, "Please update the client to 5.2."),
        (EntryKind.MESSAGE, "Updated; it still drops."),
        (EntryKind.RESPONSE, "Then it is the concentrator; on it."),
    ]


def test_a_reply_to_a_notification_read_from_smtp_comes_back_through_the_pipe(support, sam, smtp_inbox):  # noqa: F811
    import io

    from django.core.management import call_command

    from helpline.inbound.models import Mailbox

    Mailbox.objects.create(
        name="Support desk", address="support@example.test", department=support, is_default=True
    )
    support.reply_address = "support@example.test"
    support.save()
    first = EmailMessage()
    first["From"] = "Rita Requester <rita@example.test>"
    first["To"] = "support@example.test"
    first["Subject"] = "Scanner offline"
    first["Message-ID"] = make_msgid(domain="mail.example.test")
    first.set_content("The scanner shows offline.")
    call_command("mail_pipe", stdin=io.BytesIO(first.as_bytes()))
    ticket = Ticket.objects.get()
    post_reply(actor=sam, ticket=ticket, body="Restart it, please.")
    response = [m for m in smtp_inbox.messages() if m["To"] == "rita@example.test"][-1]
    assert response["Message-ID"] and f"[#{ticket.number}]" in response["Subject"]
    assert first["Message-ID"] in response["References"]
    call_command(
        "mail_pipe", stdin=io.BytesIO(reply_to(response, "rita@example.test", "Restarted: it works."))
    )
    assert Ticket.objects.count() == 1
    assert (
        ticket.entries.filter(kind=EntryKind.MESSAGE).order_by("-id").first().body_text
        == "Restarted: it works."
    )

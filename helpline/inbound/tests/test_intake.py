"""The email intake end to end, through ``manage.py mail_pipe``: new tickets, replies that thread, agents
answering by email, automatic mail, bounces, loops, refusals, and messages that must never be lost."""

import io
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpline.audit.models import AuditEntry
from helpline.catalog.models import State, TicketStatus
from helpline.inbound.intake import Outcome, receive_email, retry_failed
from helpline.inbound.models import BannedAddress, Mailbox, RawMessage
from helpline.mail.models import BouncingAddress, OutboundEmail
from helpline.tickets.actions import assign_ticket, post_reply, set_status
from helpline.tickets.models import EntryKind, Event, Source, Ticket


@pytest.fixture
def desk(support, support_topic):
    """Support's mailbox, fed by the pipe, the default one; Support answers from its address."""
    support.reply_address = "support@example.test"
    support.save()
    return Mailbox.objects.create(
        name="Support desk",
        address="support@example.test",
        department=support,
        topic=support_topic,
        is_default=True,
    )


def email(
    sender="Rita Requester <rita@example.test>",
    to="support@example.test",
    subject="Printer jam",
    body="The printer on floor 3 jams.",
    **headers,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = headers.pop("message_id", make_msgid(domain="mail.example.test"))
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def pipe(data: bytes, *args) -> int:
    """Run ``mail_pipe`` with ``data`` on standard input; its exit code."""
    try:
        call_command("mail_pipe", *args, stdin=io.BytesIO(data), stderr=io.StringIO())
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def sent_to(address: str, mailoutbox) -> list:
    return [mail for mail in mailoutbox if mail.to == [address]]


def test_an_email_opens_a_ticket_and_is_answered_by_email(
    desk, support_topic, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert pipe(email(message_id="<first@mail.example.test>")) == 0
    ticket = Ticket.objects.get()
    assert (ticket.source, ticket.department, ticket.topic) == (Source.EMAIL, desk.department, support_topic)
    assert (ticket.requester.email, ticket.requester.name, ticket.subject) == (
        "rita@example.test",
        "Rita Requester",
        "Printer jam",
    )
    assert ticket.email_thread_id == "<first@mail.example.test>"
    assert ticket.entries.get(kind=EntryKind.MESSAGE).body_text == "The printer on floor 3 jams."
    raw = RawMessage.objects.get()
    assert (raw.status, raw.outcome, raw.ticket, raw.mailbox) == (
        "processed",
        Outcome.NEW_TICKET,
        ticket,
        desk,
    )
    [confirmation] = sent_to("rita@example.test", mailoutbox)
    assert f"[#{ticket.number}]" in confirmation.subject
    assert confirmation.extra_headers["In-Reply-To"] == "<first@mail.example.test>"


def test_the_same_message_twice_makes_one_ticket(desk):
    message = email()
    assert pipe(message) == 0
    assert pipe(message) == 0
    assert Ticket.objects.count() == 1 and RawMessage.objects.count() == 1


def test_a_reply_to_the_desks_email_joins_the_ticket(desk, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pipe(email())
    ticket = Ticket.objects.get()
    confirmation = OutboundEmail.objects.get(ticket_id=ticket.pk, recipient="rita@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            pipe(
                email(
                    subject="Re: whatever", body="It is jamming again.", In_Reply_To=confirmation.message_id
                )
            )
            == 0
        )
    messages = ticket.entries.filter(kind=EntryKind.MESSAGE).order_by("id")
    assert [m.body_text for m in messages] == ["The printer on floor 3 jams.", "It is jamming again."]
    assert RawMessage.objects.order_by("-id").first().outcome == Outcome.REPLY


def test_a_reply_by_subject_token_needs_a_participant(desk, open_for, rita, support_topic):
    ticket = open_for(rita, support_topic)
    pipe(email(subject=f"Re: [#{ticket.number}] Printer on fire", body="From Rita"))
    pipe(
        email(
            sender="Mallory <mallory@evil.test>",
            subject=f"Re: [#{ticket.number}] Printer on fire",
            body="Let me in",
        )
    )
    assert (
        list(ticket.entries.filter(kind=EntryKind.MESSAGE).values_list("body_text", flat=True))[-1]
        == "From Rita"
    )
    intruder = Ticket.objects.exclude(pk=ticket.pk).get()
    assert intruder.requester.email == "mallory@evil.test"  # a ticket of its own, not a way into Rita's


def test_a_collaborator_replies_and_ccs_become_collaborators(desk, open_for, rita, support_topic, sam):
    pipe(email(Cc="Carl <carl@example.test>, support@example.test"))
    ticket = Ticket.objects.get()
    assert list(ticket.collaborators.values_list("email", flat=True)) == ["carl@example.test"]
    pipe(email(sender="carl@example.test", subject=f"Re: [#{ticket.number}]", body="Same for me"))
    last = ticket.entries.filter(kind=EntryKind.MESSAGE).order_by("-id").first()
    assert last.author_requester.email == "carl@example.test"


def test_an_agent_answers_an_alert_by_email(desk, sam, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pipe(email())
    ticket = Ticket.objects.get()
    alert = OutboundEmail.objects.get(ticket_id=ticket.pk, recipient="sam@staff.example.test")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pipe(
            email(
                sender="Sam <SAM@staff.example.test>",
                body="Try the other tray.",
                In_Reply_To=alert.message_id,
            )
        )
        pipe(
            email(
                sender="sam@staff.example.test",
                to="support+note@example.test",
                body="Toner is low too.",
                In_Reply_To=alert.message_id,
            )
        )
    response = ticket.entries.get(kind=EntryKind.RESPONSE)
    assert (response.author_agent, response.body_text) == (sam, "Try the other tray.")
    note = ticket.entries.get(kind=EntryKind.NOTE)
    assert (note.author_agent, note.body_text) == (sam, "Toner is low too.")
    assert [mail.subject for mail in sent_to("rita@example.test", mailoutbox)] == [
        f"Re: [#{ticket.number}] Printer jam"
    ]


def test_an_agents_address_alone_is_not_believed(desk, open_for, rita, support_topic, sam):
    ticket = open_for(rita, support_topic)
    pipe(email(sender="sam@staff.example.test", subject=f"Re: [#{ticket.number}]", body="Forged"))
    assert not ticket.entries.filter(kind=EntryKind.RESPONSE).exists()
    assert Ticket.objects.get(requester__email="sam@staff.example.test").pk != ticket.pk


def test_automatic_mail_gets_no_automatic_reply_and_reopens_nothing(
    desk, open_for, rita, support_topic, sam, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pipe(email(sender="newsletter@shop.example", Auto_Submitted="auto-generated", subject="Deals"))
    assert Ticket.objects.get(requester__email="newsletter@shop.example")
    assert sent_to("newsletter@shop.example", mailoutbox) == []
    ticket = open_for(rita, support_topic)
    set_status(actor=sam, ticket=ticket, status=TicketStatus.default_for(State.RESOLVED))
    pipe(
        email(
            subject=f"Out of office: [#{ticket.number}]", body="Back Monday.", Auto_Submitted="auto-replied"
        )
    )
    ticket.refresh_from_db()
    assert ticket.state == State.RESOLVED
    assert ticket.entries.filter(kind=EntryKind.MESSAGE, body_text="Back Monday.").exists()


def test_automatic_replies_are_limited_per_sender(
    desk, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.HELPLINE_AUTOREPLIES_PER_HOUR = 2
    settings.HELPLINE_MAX_OPEN_TICKETS = 0
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            pipe(email(subject=f"Question {n}"))
    assert Ticket.objects.count() == 4
    assert len([m for m in sent_to("rita@example.test", mailoutbox) if m.subject.startswith("[#")]) == 2


def test_a_reply_to_a_long_closed_ticket_opens_a_follow_up(
    desk, open_for, rita, support_topic, sam, settings
):
    settings.HELPLINE_EMAIL_REOPEN_DAYS = 7
    ticket = open_for(rita, support_topic)
    set_status(actor=sam, ticket=ticket, status=TicketStatus.default_for(State.CLOSED))
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - timedelta(days=8))
    pipe(email(subject=f"Re: [#{ticket.number}]", body="It broke again."))
    follow_up = Ticket.objects.exclude(pk=ticket.pk).get()
    created = follow_up.entries.get(event=Event.CREATED)
    assert created.data["follow_up_of"] == {"id": ticket.pk, "name": str(ticket)}
    ticket.refresh_from_db()
    assert ticket.state == State.CLOSED
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - timedelta(days=2))
    pipe(email(subject=f"Re: [#{ticket.number}]", body="And again."))
    ticket.refresh_from_db()
    assert ticket.state == State.OPEN and Ticket.objects.count() == 2


def bounce_of(sent: OutboundEmail, status: str = "5.1.1") -> bytes:
    """A delivery report (RFC 3464), as Postfix writes one, about an email the desk sent."""
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.test>\r\n"
        "To: support@example.test\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='mx.example.test')}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\n"
        f"This is the mail system at host mx.example.test.\r\n\r\n<{sent.recipient}>: 550 user unknown\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.test\r\n\r\n"
        f"Final-Recipient: rfc822; {sent.recipient}\r\nAction: failed\r\nStatus: {status}\r\n"
        f"Diagnostic-Code: smtp; 550 {status} user unknown\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {sent.message_id}\r\nTo: {sent.recipient}\r\nSubject: {sent.subject}\r\n"
        "--B--\r\n"
    ).encode()


def test_a_bounce_is_recorded_on_the_ticket(desk, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pipe(email())
    ticket = Ticket.objects.get()
    sent = OutboundEmail.objects.get(ticket_id=ticket.pk, recipient="rita@example.test")
    assert pipe(bounce_of(sent)) == 0
    bounced = ticket.entries.get(event=Event.BOUNCED)
    assert bounced.data["recipient"] == "rita@example.test" and "5.1.1" in bounced.data["status"]
    assert ticket.entries.filter(kind=EntryKind.MESSAGE).count() == 1  # never a message from the requester


def test_an_address_that_keeps_bouncing_is_held_back_until_released(
    desk, sam, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.HELPLINE_BOUNCES_TO_HOLD = 2
    with django_capture_on_commit_callbacks(execute=True):
        pipe(email())
    ticket = Ticket.objects.get()
    sent = OutboundEmail.objects.get(ticket_id=ticket.pk, recipient="rita@example.test")
    pipe(bounce_of(sent, status="4.2.2"))  # a full mailbox: temporary, not counted
    pipe(bounce_of(sent))
    assert BouncingAddress.objects.get().bounces == 1 and not BouncingAddress.objects.get().held_since
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=ticket, body="First answer")
    again = OutboundEmail.objects.filter(ticket_id=ticket.pk, recipient="rita@example.test").latest("id")
    pipe(bounce_of(again))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=ticket, body="Second answer")
    held_back = OutboundEmail.objects.filter(ticket_id=ticket.pk, recipient="rita@example.test").latest("id")
    assert held_back.status == OutboundEmail.Status.HELD and "bounced 2 times" in held_back.last_error
    assert sent_to("rita@example.test", mailoutbox) == []

    client = Client()
    client.force_login(sam.user)
    page = client.get(reverse("staff:ticket", args=[ticket.number])).content.decode()
    assert "Email to this address is held back" in page and "550 5.1.1 user unknown" in page
    assert client.post(reverse("staff:release_mail", args=[ticket.number])).status_code == 302
    released = AuditEntry.objects.get(action="bouncing_address.released")
    assert (released.actor_id, released.target_id) == (sam.pk, "rita@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=ticket, body="Third answer")
    assert [m.body for m in sent_to("rita@example.test", mailoutbox) if "Third answer" in m.body]
    assert "held back" not in client.get(reverse("staff:ticket", args=[ticket.number])).content.decode()


def test_mail_from_the_desk_itself_is_kept_and_not_bounced(desk):
    assert pipe(email(sender="support@example.test", subject="Re: [#12345678]")) == 0
    raw = RawMessage.objects.get()
    assert (raw.status, raw.outcome) == ("rejected", Outcome.REJECTED) and "loop" in raw.reason
    assert pipe(email(X_Loop="helpline", subject="looping")) == 0
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (b"To: support@example.test\r\nSubject: nobody\r\nMessage-ID: <x1@e>\r\n\r\nWho?\r\n", "no sender"),
        (email(sender="spam@spam.example"), "banned"),
    ],
)
def test_refused_mail_is_kept_and_the_sender_told(desk, message, reason, capsys):
    BannedAddress.objects.create(pattern="@spam.example", reason="spam")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("mail_pipe", stdin=io.BytesIO(message), stderr=err)
    assert exit_.value.code == 65 and reason in err.getvalue()
    raw = RawMessage.objects.get()
    assert raw.status == "rejected" and reason in raw.reason and bytes(raw.data) == message
    assert not Ticket.objects.exists()


def test_too_large_is_refused_and_not_stored(desk, settings):
    settings.HELPLINE_MAX_EMAIL_BYTES = 200
    assert pipe(email(body="x" * 500)) == 65
    assert not RawMessage.objects.exists()


def test_an_unknown_mailbox_name_is_a_configuration_error(desk):
    assert pipe(email(), "--mailbox", "Nope") == 78


def test_the_named_mailbox_routes_the_ticket(desk, it_department, it_topic):
    Mailbox.objects.create(
        name="IT desk", address="it@example.test", department=it_department, topic=it_topic
    )
    pipe(email(to="someone-else@example.test"), "--mailbox", "IT desk")
    pipe(email(to="it@example.test", subject="By address"))
    pipe(email(to="alias@example.test", subject="By default"))
    assert dict(Ticket.objects.values_list("subject", "department__name")) == {
        "Printer jam": "IT",
        "By address": "IT",
        "By default": "Support",
    }


def test_a_crash_half_way_loses_nothing(desk, monkeypatch):
    from helpline.inbound import intake

    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(intake, "receive_ticket", broken)
    assert pipe(email()) == 0  # stored: the mail server need not keep it
    raw = RawMessage.objects.get()
    assert (raw.status, raw.attempts) == ("failed", 1) and "disk is full" in raw.reason
    assert not Ticket.objects.exists()
    monkeypatch.undo()
    RawMessage.objects.filter(pk=raw.pk).update(processed_at=timezone.now() - timedelta(hours=1))
    assert retry_failed() == 1
    raw.refresh_from_db()
    assert raw.status == "processed" and Ticket.objects.count() == 1
    assert retry_failed() == 0 and Ticket.objects.count() == 1


def test_the_database_down_is_a_temporary_failure(desk, monkeypatch):
    from django.db import OperationalError

    from helpline.inbound import intake

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(intake, "store_raw", down)
    assert pipe(email()) == 75


def test_receiving_is_idempotent_across_doors(desk):
    message = email()
    first = receive_email(message, source="imap", mailbox=desk)
    again = receive_email(message, source="pipe")
    assert (first.outcome, again.outcome, again.ticket) == (
        Outcome.NEW_TICKET,
        Outcome.DUPLICATE,
        first.ticket,
    )


def test_an_assigned_agent_is_alerted_of_a_reply(desk, sam, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pipe(email())
    ticket = Ticket.objects.get()
    assign_ticket(actor=sam, ticket=ticket, agent=sam)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pipe(email(subject=f"Re: [#{ticket.number}]", body="More detail"))
    [alert] = sent_to("sam@staff.example.test", mailoutbox)
    assert f"[#{ticket.number}]" in alert.subject and "More detail" in alert.body

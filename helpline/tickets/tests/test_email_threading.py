"""Emails that thread, read back from a real SMTP server: each one's Message-ID is the one its outbox row
keeps, In-Reply-To and References continue the conversation its recipient has, the subject carries the
ticket's token, automatic mail says so, and replies go to the department's address."""

import re
from datetime import timedelta

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from helpline.catalog.models import State, TicketStatus
from helpline.mail.models import OutboundEmail
from helpline.mail.threading import subject_token, token
from helpline.people.requesters import Contact
from helpline.sla.models import SLAPlan
from helpline.tickets.actions import (
    Routing,
    add_note,
    assign_ticket,
    check_sla_targets,
    follow_ticket,
    post_message,
    post_reply,
    receive_ticket,
    remeasure_sla,
    reopen_ticket,
    set_status,
    transfer_ticket,
)
from helpline.tickets.emails.kinds import KINDS
from helpline.tickets.models import EntryKind, Source

MESSAGE_ID = re.compile(r"<[0-9a-f]{32}@localhost>")


@pytest.fixture
def desk(support):
    """Support answers at its own address (a mailbox receives it)."""
    support.reply_address = "support@example.test"
    support.save(update_fields=["reply_address"])
    return support


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run an action and what it schedules after its commit: the notifications, then their delivery."""

    def _run(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return _run


def to(inbox, address: str) -> list:
    return [message for message in inbox.messages() if message["To"] == address]


def ids(header: str) -> list[str]:
    """The Message-IDs a header names (a long References header is folded over several lines)."""
    return header.split()


def root_of(ticket) -> str:
    return f"<ticket-{ticket.number}@localhost>"


def test_each_email_goes_out_with_the_message_id_its_row_keeps(smtp_inbox, desk, ticket):
    messages = smtp_inbox.messages()
    assert len(messages) == 3  # Rita's auto-reply, the alerts to Sam and to the department's address
    first_message = ticket.entries.get(kind=EntryKind.MESSAGE)
    for message in messages:
        row = OutboundEmail.objects.get(message_id=message["Message-ID"])
        assert MESSAGE_ID.fullmatch(row.message_id)
        assert (row.recipient, row.ticket_id, row.entry_id) == (message["To"], ticket.pk, first_message.pk)
        assert subject_token(message["Subject"]) == ticket.number
        assert message["X-Loop"] == "helpline"
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Precedence"] is None


def test_a_requesters_emails_continue_one_conversation(smtp_inbox, desk, ticket, sam, run):
    entry = run(post_reply, actor=sam, ticket=ticket, body="Unplug it.")
    run(set_status, actor=sam, ticket=ticket, status=TicketStatus.default_for(State.RESOLVED))
    auto_reply, response, resolved = to(smtp_inbox, "rita@example.test")
    root = root_of(ticket)
    assert (auto_reply["In-Reply-To"], ids(auto_reply["References"])) == (root, [root])
    assert response["In-Reply-To"] == auto_reply["Message-ID"]
    assert ids(response["References"]) == [root, auto_reply["Message-ID"]]
    assert resolved["In-Reply-To"] == response["Message-ID"]
    assert ids(resolved["References"]) == [root, auto_reply["Message-ID"], response["Message-ID"]]
    # A response is a person's reply: not marked automatic, and no bulk mail either.
    assert response["Auto-Submitted"] is None and response["Precedence"] is None
    assert resolved["Auto-Submitted"] == "auto-generated"
    assert OutboundEmail.objects.get(message_id=response["Message-ID"]).entry_id == entry.pk


def test_an_agent_is_never_sent_the_message_ids_of_mail_to_others(smtp_inbox, desk, ticket, rita, sam, run):
    run(post_message, actor=rita, ticket=ticket, body="Any news?")
    alert, message_alert = to(smtp_inbox, "sam@staff.example.test")
    assert message_alert["In-Reply-To"] == alert["Message-ID"]
    assert ids(message_alert["References"]) == [root_of(ticket), alert["Message-ID"]]
    to_rita = {message["Message-ID"] for message in to(smtp_inbox, "rita@example.test")}
    assert not to_rita & set(ids(message_alert["References"]))


def test_a_ticket_that_came_by_email_threads_under_the_requesters_email(smtp_inbox, desk, support_topic, run):
    ticket = run(
        receive_ticket,
        sender=Contact("nora@example.test", "Nora Newcomer"),
        channel=Source.EMAIL,
        subject="Printer on fire",
        body="Smoke everywhere.",
        routing=Routing(topic=support_topic),
        email_thread_id=" <CAF1234.first@mail.example.test> ",
    )
    assert ticket.email_thread_id == "<CAF1234.first@mail.example.test>"
    [auto_reply] = to(smtp_inbox, "nora@example.test")
    assert auto_reply["In-Reply-To"] == "<CAF1234.first@mail.example.test>"
    assert ids(auto_reply["References"]) == ["<CAF1234.first@mail.example.test>"]


def test_replies_go_to_the_departments_address_and_are_invited(smtp_inbox, desk, ticket):
    [envelope] = [e for e in smtp_inbox.envelopes if e.rcpt_tos == ["rita@example.test"]]
    assert envelope.mail_from == "support@example.test"
    [auto_reply] = to(smtp_inbox, "rita@example.test")
    assert auto_reply["From"] == auto_reply["Reply-To"] == "Support <support@example.test>"
    assert "Reply to this email to add to your ticket" in auto_reply.get_body(("plain",)).get_content()
    assert "Reply to this email to add to your ticket" in auto_reply.get_body(("html",)).get_content()
    [alert] = to(smtp_inbox, "sam@staff.example.test")
    for part in ("plain", "html"):
        text = alert.get_body((part,)).get_content()
        assert "Reply to this email to answer Rita Requester" in text
        assert "support+note@example.test" in text


def test_without_a_reply_address_mail_comes_from_the_default_sender_and_invites_no_reply(smtp_inbox, ticket):
    [auto_reply] = to(smtp_inbox, "rita@example.test")
    assert auto_reply["From"] == auto_reply["Reply-To"] == "Helpline <helpdesk@localhost>"
    assert "Reply to this email" not in auto_reply.get_body(("plain",)).get_content()
    [alert] = to(smtp_inbox, "sam@staff.example.test")
    assert "+note@" not in alert.get_body(("plain",)).get_content()


def test_each_notification_has_an_html_alternative_that_escapes_what_people_typed(
    smtp_inbox, desk, open_for, rita, sam, support_topic
):
    ticket = open_for(rita, support_topic, subject="<b>Fire</b> & smoke", body="Line one\n<script>x</script>")
    [auto_reply] = to(smtp_inbox, "rita@example.test")
    assert auto_reply.get_content_type() == "multipart/alternative"
    html = auto_reply.get_body(("html",)).get_content()
    assert "&lt;b&gt;Fire&lt;/b&gt; &amp; smoke" in html and "<b>Fire" not in html
    assert '<html lang="en">' in html
    assert "<b>Fire</b> & smoke" in auto_reply.get_body(("plain",)).get_content()
    row = OutboundEmail.objects.get(message_id=auto_reply["Message-ID"])
    assert row.body_html.strip() == html.replace("\r\n", "\n").strip()
    [alert] = to(smtp_inbox, "sam@staff.example.test")
    assert "&lt;script&gt;" in alert.get_body(("html",)).get_content()
    assert subject_token(auto_reply["Subject"]) == ticket.number


def test_every_kind_of_ticket_email_carries_the_token_and_an_html_part(
    ticket, sam, ada, rita, ivan, it_department, run, mailoutbox
):
    run(assign_ticket, actor=ada, ticket=ticket, agent=sam)
    run(follow_ticket, actor=ada, ticket=ticket)
    run(post_message, actor=rita, ticket=ticket, body="Any news?")
    run(post_reply, actor=sam, ticket=ticket, body="On it.")
    SLAPlan.objects.filter(pk=ticket.sla_plan_id).update(warn_percent=75)
    run(remeasure_sla, plan_ids=[ticket.sla_plan_id])
    ticket.refresh_from_db()
    for moment in (ticket.sla_warn_at, ticket.due_at):
        with time_machine.travel(moment + timedelta(minutes=1), tick=False):
            run(check_sla_targets, ticket_id=ticket.pk)
    run(set_status, actor=sam, ticket=ticket, status=TicketStatus.default_for(State.RESOLVED))
    run(reopen_ticket, actor=rita, ticket=ticket)
    run(set_status, actor=rita, ticket=ticket, status=TicketStatus.default_for(State.CLOSED))
    run(reopen_ticket, actor=rita, ticket=ticket)
    run(add_note, actor=sam, ticket=ticket, body="@ada could you look?")
    run(transfer_ticket, actor=sam, ticket=ticket, department=it_department)
    rows = OutboundEmail.objects.filter(ticket_id=ticket.pk)
    assert set(rows.values_list("reason", flat=True)) == set(KINDS)
    assert {mail.subject for mail in mailoutbox} == set(rows.values_list("subject", flat=True))
    for mail in mailoutbox:
        assert token(ticket.number) in mail.subject
        [(html, mimetype)] = mail.alternatives
        assert mimetype == "text/html" and token(ticket.number) in html


def test_references_name_the_root_and_the_last_few_emails(ticket, sam, run, mailoutbox):
    for n in range(12):
        run(post_reply, actor=sam, ticket=ticket, body=f"Reply {n}")
    *earlier, last = [mail for mail in mailoutbox if mail.to == ["rita@example.test"]]
    references = last.extra_headers["References"].split()
    assert len(references) == 10
    assert references[0] == root_of(ticket)
    assert references[1:] == [mail.extra_headers["Message-ID"] for mail in earlier[-9:]]
    assert last.extra_headers["In-Reply-To"] == earlier[-1].extra_headers["Message-ID"]


numbers = st.from_regex(r"[1-9][0-9]{5,19}", fullmatch=True)


@given(number=numbers, before=st.text(max_size=80), after=st.text(max_size=80))
def test_the_token_is_read_back_wherever_it_sits_in_a_subject(number, before, after):
    clean = before.replace("[#", "")
    assert subject_token(f"{clean}{token(number)}{after}") == number


@given(subject=st.text(max_size=300))
def test_reading_a_token_never_fails(subject):
    found = subject_token(subject)
    assert found is None or token(found) in subject

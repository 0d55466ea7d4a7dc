"""Filter rules on mail: a rule sees the mailbox and the headers, and a rejection is kept with the rule's
name, answered with the rule's reply (never to automatic mail), and not bounced by the mail server too."""

import pytest

from helpline.inbound.intake import Outcome
from helpline.inbound.models import RawMessage
from helpline.inbound.tests.test_intake import email, pipe, sent_to
from helpline.routing.models import ActionKind as A
from helpline.routing.models import ConditionField as F
from helpline.routing.models import Match
from helpline.routing.models import Operator as O
from helpline.tickets.models import EntryKind, Ticket

pytest_plugins = ["helpline.inbound.tests.test_intake"]

REPLY = "Outages are announced on status.example.test; no ticket was opened."


@pytest.fixture
def no_outages(make_rule):
    return make_rule(
        "No outage tickets",
        conditions=[(F.SUBJECT, O.CONTAINS, "outage"), (F.BODY, O.CONTAINS, "outage")],
        match=Match.ANY,
        actions=[(A.REJECT, REPLY)],
        on_messages=True,
    )


def test_a_rejected_email_is_kept_with_the_rule_and_answered_once(
    desk, no_outages, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert pipe(email(subject="Online banking outage", message_id="<o1@mail.example.test>")) == 0
    raw = RawMessage.objects.get()
    assert (raw.status, raw.outcome) == ("rejected", Outcome.REJECTED)
    assert raw.reason == "Rejected by the filter rule No outage tickets."
    assert not Ticket.objects.exists()
    [answer] = sent_to("rita@example.test", mailoutbox)
    assert answer.subject == "Re: Online banking outage"
    assert answer.body.strip() == REPLY
    assert answer.from_email == "support@example.test"
    assert answer.extra_headers["In-Reply-To"] == "<o1@mail.example.test>"
    assert answer.extra_headers["Auto-Submitted"] == "auto-replied"


def test_automatic_mail_and_silent_rules_get_no_answer(
    desk, make_rule, no_outages, mailoutbox, django_capture_on_commit_callbacks
):
    make_rule("Drop newsletters", conditions=[(F.SUBJECT, O.CONTAINS, "newsletter")], actions=[(A.REJECT,)])
    with django_capture_on_commit_callbacks(execute=True):
        assert pipe(email(subject="Outage notice", Auto_Submitted="auto-generated")) == 0
        assert pipe(email(subject="Our newsletter")) == 0
    assert list(RawMessage.objects.values_list("status", flat=True)) == ["rejected", "rejected"]
    assert not mailoutbox and not Ticket.objects.exists()


def test_a_rule_sees_the_mailbox_and_headers(desk, make_rule):
    make_rule(
        "Only the support mailbox's partners",
        conditions=[
            (F.MAILBOX, O.EQUALS, "support@example.test"),
            (F.HEADER, O.EQUALS, "partner", "x-origin"),
        ],
        actions=[(A.REJECT,)],
    )
    assert pipe(email(subject="From a partner", X_Origin="partner")) == 0
    assert pipe(email(subject="From a customer", X_Origin="customer")) == 0
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["From a customer"]
    assert RawMessage.objects.filter(status="rejected").count() == 1


def test_a_rejected_reply_leaves_the_ticket_as_it_was(desk, no_outages, mailoutbox):
    assert pipe(email(subject="Printer jam")) == 0
    ticket = Ticket.objects.get()
    # On a message the rules see the ticket's subject and the message's text.
    assert pipe(email(subject=f"Re: [#{ticket.number}] Printer jam", body="An outage again.")) == 0
    assert ticket.entries.filter(kind=EntryKind.MESSAGE).count() == 1
    rejected = RawMessage.objects.get(status="rejected")
    assert rejected.reason == "Rejected by the filter rule No outage tickets."
    assert Ticket.objects.count() == 1

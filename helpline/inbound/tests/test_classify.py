"""classify: which mail may get an automatic reply, which is a bounce, which is Helpline's own come back."""

import pytest

from helpline.inbound.classify import LOOP_HEADER, LOOP_VALUE, Kind, classify
from helpline.inbound.parsing import parse_message

OWN = ("support@desk.example.test", "IT@desk.example.test")


def classified(
    headers: str = "", sender: str = "Rita <rita@example.test>", subject: str = "Printer", body: str = "Hi"
):
    data = f"From: {sender}\nTo: support@desk.example.test\nSubject: {subject}\n{headers}\n{body}\n".encode()
    return classify(parse_message(data), OWN)


def test_a_persons_mail_may_get_an_automatic_reply():
    result = classified()
    assert (result.kind, result.reason, result.may_autoreply) == (Kind.PERSON, "", True)


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ("Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied"),
        ("Auto-Submitted: auto-generated; owner-email=a@example.test", "Auto-Submitted: auto-generated"),
        ("Auto-Submitted: Auto-Notified", "Auto-Submitted: auto-notified"),
        ("Precedence: bulk", "Precedence: bulk"),
        ("Precedence: JUNK", "Precedence: junk"),
        ("Precedence: list", "Precedence: list"),
        ("X-Precedence: bulk", "Precedence: bulk"),
        ("List-Id: <users.lists.example.test>", "list-id"),
        ("List-Unsubscribe: <mailto:leave@lists.example.test>", "list-unsubscribe"),
        ("X-Autoreply: yes", "x-autoreply"),
        ("X-Autorespond: vacation", "x-autorespond"),
        ("X-Auto-Response-Suppress: All", "X-Auto-Response-Suppress"),
        ("X-Auto-Response-Suppress: DR, OOF", "X-Auto-Response-Suppress"),
        ("X-MS-Exchange-Inbox-Rules-Loop: rita@example.test", "mailbox rule"),
        ("Return-Path: <>", "Return-Path: <>"),
        (
            'Content-Type: multipart/report; report-type=disposition-notification; boundary="r"',
            "disposition-notification",
        ),
    ],
)
def test_automatic_mail_gets_no_automatic_reply(headers, reason):
    result = classified(headers)
    assert result.kind is Kind.AUTOMATIC and not result.may_autoreply
    assert reason in result.reason


@pytest.mark.parametrize(
    "headers",
    [
        "Auto-Submitted: no",
        "Precedence: first-class",
        "X-Auto-Response-Suppress: DR, RN",
        "X-Autoreply: no",
        "Return-Path: <rita@example.test>",
    ],
)
def test_signals_that_say_no_leave_a_persons_mail(headers):
    assert classified(headers).kind is Kind.PERSON


@pytest.mark.parametrize(
    ("sender", "reason"),
    [
        ("MAILER-DAEMON@mx.example.test", "mail system"),
        ("Postmaster <postmaster@example.test>", "mail system"),
        ("noreply@shop.example.test", "takes no replies"),
        ("do-not-reply@shop.example.test", "takes no replies"),
        ("owner-users@lists.example.test", "takes no replies"),
        ("users-request@lists.example.test", "takes no replies"),
    ],
)
def test_mail_from_daemons_lists_and_no_reply_addresses_is_automatic(sender, reason):
    result = classified(sender=sender)
    assert result.kind is Kind.AUTOMATIC and reason in result.reason


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: Printer",
        "Out of Office: Printer",
        "AutoReply: x",
        "Abwesenheitsnotiz: Drucker",
        "Réponse automatique : x",
    ],
)
def test_out_of_office_subjects_are_automatic(subject):
    assert classified(subject=subject).kind is Kind.AUTOMATIC


def test_a_person_writing_about_being_out_of_office_is_a_person():
    assert classified(subject="Re: my out of office reply does not work").kind is Kind.PERSON


@pytest.mark.parametrize(
    "sender", ["support@desk.example.test", "Support+note@DESK.example.test", "it@desk.example.test"]
)
def test_mail_from_the_desks_own_addresses_is_a_loop(sender):
    result = classified(sender=sender)
    assert result.kind is Kind.LOOP and not result.may_autoreply
    assert "desk's own address" in result.reason


def test_an_address_that_only_looks_like_the_desks_is_not_a_loop():
    assert classified(sender="support@desk.example.test.attacker.example").kind is Kind.PERSON


def test_helplines_own_marker_is_a_loop_whoever_the_sender():
    assert (LOOP_HEADER, LOOP_VALUE) == ("X-Loop", "helpline")
    assert classified(f"{LOOP_HEADER}: {LOOP_VALUE}").kind is Kind.LOOP
    assert classified("X-Loop:  HelpLine ").kind is Kind.LOOP
    assert classified("X-Loop: users@lists.example.test").kind is Kind.PERSON


def test_a_loop_wins_over_the_other_signals():
    assert classified("X-Loop: helpline\nAuto-Submitted: auto-generated").kind is Kind.LOOP


def test_a_bounce_carries_what_it_reports():
    report = (
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n--r\nContent-Type: text/plain\n\n'
        "Could not deliver.\n--r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n"
        "Final-Recipient: rfc822; gone@example.com\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 unknown\n--r\nContent-Type: text/rfc822-headers\n\n"
        "Message-ID: <sent.1@desk.example.test>\n--r--"
    )
    result = classified(report, sender="MAILER-DAEMON@mx.example.test", body="")
    assert result.kind is Kind.BOUNCE and not result.may_autoreply
    assert result.reason == "A delivery report (failed: 5.1.1)."
    assert result.bounce is not None
    assert (result.bounce.original_message_id, result.bounce.recipient, result.bounce.diagnostic) == (
        "<sent.1@desk.example.test>",
        "gone@example.com",
        "550 5.1.1 unknown",
    )


def test_a_message_from_mailer_daemon_that_reports_nothing_is_no_bounce():
    result = classified(sender="MAILER-DAEMON@mx.example.test", subject="Quota", body="Your mailbox is full.")
    assert (result.kind, result.bounce) == (Kind.AUTOMATIC, None)


def test_a_person_quoting_bounce_wording_is_no_bounce():
    body = "My mail to the bank says: I'm afraid I wasn't able to deliver your message. Why?"
    assert classified(subject="Undeliverable mail?", body=body).kind is Kind.PERSON

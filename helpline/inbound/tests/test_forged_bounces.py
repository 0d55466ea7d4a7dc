"""A delivery report counts only for an address the email it reports was sent to, and X-Failed-Recipients
only from a mail system: a requester who knows the Message-ID of her own confirmation cannot put another
address (an agent's) on hold by forging reports about it."""

from email.utils import make_msgid

import pytest

from helpline.inbound.parsing import parse_message
from helpline.inbound.tests.test_intake import email, pipe
from helpline.mail.bounces import bounced_recipient, held
from helpline.mail.models import BouncingAddress, OutboundEmail
from helpline.tickets.models import Event, Ticket

pytest_plugins = ["helpline.inbound.tests.test_intake"]

SAM = "sam@staff.example.test"
RITA = "rita@example.test"
DAEMON = "From: Mail Delivery System <MAILER-DAEMON@mx.example.test>\r\nReturn-Path: <>\r\n"
PERSON = f"From: Rita Requester <{RITA}>\r\n"


def report(sent: OutboundEmail, recipient: str, sender: str = DAEMON) -> bytes:
    """A delivery report (RFC 3464) that ``recipient`` failed, quoting the Message-ID of ``sent``."""
    return (
        f"{sender}To: support@example.test\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='mx.example.test')}\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.test\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
        f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {sent.message_id}\r\n--B--\r\n"
    ).encode()


def exim_report(sent: OutboundEmail, recipient: str, sender: str = DAEMON) -> bytes:
    """A plain-text report as Exim writes one, naming the failed address in X-Failed-Recipients."""
    return (
        f"{sender}To: support@example.test\r\nSubject: Mail delivery failed: returning message to sender\r\n"
        f"X-Failed-Recipients: {recipient}\r\nMessage-ID: {make_msgid(domain='mx.example.test')}\r\n\r\n"
        "This message was created automatically by mail delivery software.\r\n\r\n"
        f"  {recipient}\r\n    SMTP error from remote mail server after RCPT TO:<{recipient}>:\r\n"
        "    550 5.1.1 User unknown\r\n\r\n"
        "------ This is a copy of the message, including all the headers. ------\r\n\r\n"
        f"Message-ID: {sent.message_id}\r\nSubject: {sent.subject}\r\n"
    ).encode()


@pytest.fixture
def confirmation(desk, sam, django_capture_on_commit_callbacks) -> OutboundEmail:
    """Rita emails the desk; the confirmation she was sent (Sam, in Support, is alerted)."""
    with django_capture_on_commit_callbacks(execute=True):
        assert pipe(email()) == 0
    return OutboundEmail.objects.get(ticket_id=Ticket.objects.get().pk, recipient=RITA)


def forge_three(make, sent: OutboundEmail) -> None:
    for _ in range(3):  # HELPLINE_BOUNCES_TO_HOLD
        assert pipe(make(sent, SAM, sender=PERSON)) == 0


def test_forged_reports_about_an_agent_hold_nobody(confirmation):
    forge_three(report, confirmation)
    assert held(SAM) is None and held(RITA) is None
    assert not BouncingAddress.objects.exists()


def test_x_failed_recipients_from_a_person_is_no_bounce(confirmation):
    forge_three(exim_report, confirmation)
    assert held(SAM) is None and not BouncingAddress.objects.exists()
    assert not Ticket.objects.get(pk=confirmation.ticket_id).entries.filter(event=Event.BOUNCED).exists()


@pytest.mark.parametrize("make", [report, exim_report])
def test_genuine_reports_about_the_recipient_hold_it_after_the_limit(confirmation, make, settings):
    settings.HELPLINE_BOUNCES_TO_HOLD = 3
    for count in (1, 2, 3):
        assert pipe(make(confirmation, RITA)) == 0
        assert BouncingAddress.objects.get(address=RITA).bounces == count
    assert held(RITA) is not None and held(SAM) is None


def test_the_failed_recipients_header_is_read_only_from_a_mail_system():
    sent = OutboundEmail(to=[RITA], recipient=RITA, message_id="<sent.1@desk.example.test>", subject="s")
    assert parse_message(exim_report(sent, SAM, sender=PERSON)).bounce is None
    bounce = parse_message(exim_report(sent, RITA)).bounce
    assert bounce is not None
    assert (bounce.recipient, bounce.status, bounce.original_message_id) == (RITA, "5.1.1", sent.message_id)


@pytest.mark.parametrize(
    ("to", "recipient", "reported", "counted"),
    [
        ([RITA], RITA, RITA, RITA),
        ([RITA], RITA, "Rita@Example.TEST", RITA),
        ([RITA], RITA, "", RITA),  # a report naming nobody: the email's one recipient
        ([RITA], RITA, SAM, None),  # another address: forged, or a forwarder's failure; nobody counted
        ([RITA, SAM], "", SAM, SAM),
        ([RITA, SAM], "", "", ""),  # naming nobody, about an email to several: nobody known
        ([RITA, SAM], "", "bob@example.test", None),
    ],
)
def test_a_report_counts_only_for_an_address_the_email_went_to(to, recipient, reported, counted):
    sent = OutboundEmail(to=to, recipient=recipient)
    assert bounced_recipient(sent, reported) == counted

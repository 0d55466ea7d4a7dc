"""The administrator's attachment settings, stricter than the deployment's, apply to received email as they
do to the forms: a file they refuse is left out and named in the message, which is stored; never the whole
email failed (and retried, and lost) over one file."""

from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from helpline.core.models import DeskSettings
from helpline.inbound.intake import Outcome
from helpline.inbound.models import RawMessage
from helpline.inbound.tests.test_intake import email, pipe
from helpline.mail.models import OutboundEmail
from helpline.tickets.models import EntryKind, Ticket

pytest_plugins = ["helpline.inbound.tests.test_intake"]


def with_files(*files: tuple[str, bytes], **headers) -> bytes:
    """Rita's email with these (name, content) files attached."""
    message = EmailMessage()
    message["From"] = "Rita Requester <rita@example.test>"
    message["To"] = "support@example.test"
    message["Subject"] = headers.pop("subject", "Screenshots")
    message["Message-ID"] = make_msgid(domain="mail.example.test")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("See the files.")
    for name, data in files:
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


def desk_settings(**fields) -> None:
    DeskSettings.objects.update_or_create(pk=1, defaults=fields)


def stored(entry) -> list[str]:
    return sorted(entry.attachments.values_list("filename", flat=True))


LIMITS = [
    pytest.param(
        {"allowed_extensions": "pdf"},
        [("photo.png", b"PNG data")],
        [],
        "Not attached: photo.png (photo.png: only these types are accepted: pdf.)",
        id="a type the desk does not accept",
    ),
    pytest.param(
        {"max_attachments": 1},
        [("a.txt", b"first"), ("b.txt", b"second")],
        ["a.txt"],
        "Not attached: b.txt (At most 1 files are kept from one message.)",
        id="more files than the desk keeps",
    ),
    pytest.param(
        {"max_attachment_bytes": 5},
        [("small.txt", b"12345"), ("large.txt", b"0123456789")],
        ["small.txt"],
        "Not attached: large.txt (large.txt is larger than 5\xa0bytes.)",
        id="a file larger than the desk allows",
    ),
]


@pytest.mark.parametrize(("limits", "files", "kept", "note"), LIMITS)
def test_a_new_ticket_is_opened_without_the_files_the_desk_refuses(desk, limits, files, kept, note):
    desk_settings(**limits)
    assert pipe(with_files(*files)) == 0
    raw = RawMessage.objects.get()
    assert (raw.status, raw.outcome) == (RawMessage.Status.PROCESSED, Outcome.NEW_TICKET)
    message = Ticket.objects.get().entries.get(kind=EntryKind.MESSAGE)
    assert stored(message) == kept
    assert message.body_text.startswith("See the files.") and f"[{note}]" in message.body_text


@pytest.mark.parametrize(("limits", "files", "kept", "note"), LIMITS)
def test_a_reply_is_added_without_the_files_the_desk_refuses(
    desk, limits, files, kept, note, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert pipe(email()) == 0
    ticket = Ticket.objects.get()
    confirmation = OutboundEmail.objects.get(ticket_id=ticket.pk, recipient="rita@example.test")
    desk_settings(**limits)
    assert pipe(with_files(*files, subject="Re: Printer jam", In_Reply_To=confirmation.message_id)) == 0
    raw = RawMessage.objects.latest("id")
    assert (raw.status, raw.outcome, raw.ticket) == (RawMessage.Status.PROCESSED, Outcome.REPLY, ticket)
    reply = ticket.entries.filter(kind=EntryKind.MESSAGE).latest("id")
    assert stored(reply) == kept and f"[{note}]" in reply.body_text


def test_files_within_the_desk_settings_are_kept(desk):
    desk_settings(allowed_extensions="pdf, txt", max_attachments=2, max_attachment_bytes=100)
    assert pipe(with_files(("report.pdf", b"%PDF-1.4"), ("log.txt", b"lines"))) == 0
    message = Ticket.objects.get().entries.get(kind=EntryKind.MESSAGE)
    assert stored(message) == ["log.txt", "report.pdf"] and "Not attached" not in message.body_text

"""The email intake's figure: messages a second through the pipe's logic (store, parse, classify, thread,
the ticket actions), in this process, for a mixed batch: new tickets, replies to the desk's emails and by
subject token, automatic replies, delivery reports and mail from the desk itself. The notifications they owe
are recorded as rows, as on a live desk; delivering them is the worker's work and is not timed here.
"""

import random
import time
import uuid
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from django.db import transaction

MESSAGES = 1000
ADDRESS = "bench-desk@helpline.example"


@dataclass(frozen=True)
class IntakeResult:
    messages: int
    seconds: float
    messages_per_second: float
    outcomes: dict[str, int]


def _email(sender: str, subject: str, body: str, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ADDRESS
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="bench.example")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    if "attach" in headers.get("X_Bench", ""):
        message.add_attachment(
            b"%PDF-1.4 bench" * 50, maintype="application", subtype="pdf", filename="report.pdf"
        )
    return message.as_bytes()


def _bounce(reply_to: tuple[str, str, str]) -> bytes:
    """A delivery report about one of the desk's emails."""
    recipient, _, message_id = reply_to
    return (
        "From: MAILER-DAEMON@mx.example.test\r\nTo: " + ADDRESS + "\r\nSubject: Undelivered Mail\r\n"
        f"Message-ID: {make_msgid(domain='mx.example.test')}\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nUndeliverable.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.test\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 4.2.2\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {message_id}\r\n--B--\r\n"
    ).encode()


def _mixed_batch(count: int, replies_to: list[tuple[str, str, str]], run: str) -> list[bytes]:
    """``replies_to``: (sender, ticket number, Message-ID the desk sent them) for the replies."""
    rng = random.Random(20261201)  # noqa: S311 - a fixed mix, the same every run
    batch = []
    for n in range(count):
        roll = rng.random()
        if roll < 0.55 or not replies_to:
            batch.append(
                _email(
                    f"Person {n} <bench-mail-{run}-{n}@example.test>",
                    f"Question {n}",
                    "The printer jams. " * 20,
                )
            )
        elif roll < 0.75:
            sender, _, message_id = rng.choice(replies_to)
            batch.append(
                _email(
                    sender,
                    "Re: your ticket",
                    "Still broken.\n\n> earlier text\n> quoted",
                    In_Reply_To=message_id,
                )
            )
        elif roll < 0.85:
            sender, number, _ = rng.choice(replies_to)
            batch.append(
                _email(sender, f"Re: [#{number}] your ticket", "More detail, with a file.", X_Bench="attach")
            )
        elif roll < 0.91:
            batch.append(_bounce(rng.choice(replies_to)))
        elif roll < 0.96:
            batch.append(
                _email(
                    f"away-{run}-{n}@example.test",
                    "Out of office",
                    "Back Monday.",
                    Auto_Submitted="auto-replied",
                )
            )
        else:
            batch.append(_email(ADDRESS, "Looping", "From the desk itself"))
    return batch


def run_intake(count: int = MESSAGES) -> IntakeResult:
    from huey.contrib.djhuey import HUEY
    from huey.storage import MemoryStorage

    from helpline.inbound.intake import receive_email
    from helpline.inbound.models import Mailbox
    from helpline.mail.models import OutboundEmail
    from helpline.people.models import Department
    from helpline.tickets.models import Notification
    from helpline.tickets.notifications import deliver_notifications

    department = Department.objects.order_by("pk").first()
    # Addresses of this run's own: automatic replies are limited per sender and hour, across runs too.
    run = uuid.uuid4().hex[:8]
    mailbox, _ = Mailbox.objects.get_or_create(
        address=ADDRESS, defaults={"name": "Bench desk", "department": department}
    )
    # The tasks the intake queues (delivering notifications) wait in memory: the worker's work, not timed.
    immediate, storage = HUEY.immediate, HUEY.storage
    HUEY.immediate = False
    HUEY.storage = MemoryStorage("bench")
    try:
        seed = [
            receive_email(
                _email(f"Seed {n} <bench-seed-{run}-{n}@example.test>", f"Seed {n}", "x"), source="pipe"
            )
            for n in range(50)
        ]
        # The seed tickets' acknowledgements are written (as the worker would) so replies can answer them.
        owed = Notification.objects.filter(ticket__in=[r.ticket for r in seed if r.ticket])
        deliver_notifications(list(owed.values_list("pk", flat=True)))
        replies_to = []
        for result in seed:
            if result.ticket is None:
                continue
            sent = OutboundEmail.objects.filter(
                ticket_id=result.ticket.pk, recipient=result.ticket.requester.email
            )
            message_id = sent.values_list("message_id", flat=True).first() or ""
            replies_to.append((result.ticket.requester.email, result.ticket.number, message_id))
        batch = _mixed_batch(count, replies_to, run)
        outcomes: dict[str, int] = {}
        started = time.perf_counter()
        for data in batch:
            outcome = receive_email(data, source="pipe", mailbox=mailbox).outcome
            outcomes[outcome.value] = outcomes.get(outcome.value, 0) + 1
        seconds = time.perf_counter() - started
    finally:
        HUEY.storage, HUEY.immediate = storage, immediate
    _remove(mailbox)
    return IntakeResult(count, round(seconds, 2), round(count / seconds, 1), outcomes)


def _remove(mailbox) -> None:
    """Leave the database as seeded: the bench mailbox, its messages and the tickets they opened go."""
    from helpline.inbound.models import RawMessage
    from helpline.mail.models import OutboundEmail
    from helpline.people.models import Requester
    from helpline.tickets.models import Ticket

    with transaction.atomic():
        ticket_ids = set(
            RawMessage.objects.filter(mailbox=mailbox)
            .exclude(ticket=None)
            .values_list("ticket_id", flat=True)
        )
        RawMessage.objects.filter(mailbox=mailbox).delete()
        OutboundEmail.objects.filter(ticket_id__in=ticket_ids).delete()
        Ticket.objects.filter(pk__in=ticket_ids).delete()
        Requester.objects.filter(email__startswith="bench-mail-").delete()
        Requester.objects.filter(email__startswith="bench-seed-").delete()
        Requester.objects.filter(email__startswith="away-").delete()
        mailbox.delete()


def as_dict(result: IntakeResult) -> dict:
    return asdict(result)

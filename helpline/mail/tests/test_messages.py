"""The message an outbox row is sent as: byte for byte what Django's own message would be, but for the
multipart boundary, which is fresh and random for each message."""

import re
from email import message_from_bytes, policy

from django.core.mail import EmailMultiAlternatives
from hypothesis import given, settings
from hypothesis import strategies as st

from helpline.mail.messages import OutboxMessage, message_of
from helpline.mail.models import OutboundEmail

BOUNDARY = re.compile(rb'boundary="?([^";\r\n]+)"?')
# Text as people write it: any letters, marks, digits, punctuation and spaces, lines long and short.
TEXT = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), min_size=1, max_size=300)


def row(**fields) -> OutboundEmail:
    values = {
        "to": ["rita@example.test"],
        "from_email": '"Support, Acme" <help@example.test>',
        "reply_to": "help+t123@example.test",
        "subject": "[#123456] Printer on fire",
        "body_text": "Hello",
        "body_html": "<p>Hello</p>",
        "message_id": "<abc.123@example.test>",
        "headers": {
            "Date": "Mon, 03 Mar 2025 09:00:00 +0000",
            "In-Reply-To": "<first@example.test>",
            "References": " ".join(f"<earlier-{n}.reply@helpdesk.example.test>" for n in range(12)),
            "Auto-Submitted": "auto-replied",
            "X-Helpline-Ticket": "123456",
        },
    }
    return OutboundEmail(**values | fields)


def composed(message: EmailMultiAlternatives, under, compose=None) -> tuple[bytes, list[bytes]]:
    """The message's bytes (composed by ``compose``, its own ``message()`` by default) with its boundaries
    replaced by a placeholder, and the boundaries."""
    data = (compose or type(message).message)(message, policy=under).as_bytes()
    boundaries = BOUNDARY.findall(data)
    for boundary in boundaries:
        data = data.replace(boundary, b"BOUNDARY")
    return data, boundaries


def assert_same_as_djangos(email: OutboundEmail) -> None:
    for under in (policy.default, policy.SMTP):
        ours, _ = composed(message_of(email), under)
        # The same message as Django itself composes it.
        theirs, _ = composed(message_of(email), under, EmailMultiAlternatives.message)
        assert ours == theirs


def test_a_message_is_composed_as_django_composes_it():
    assert_same_as_djangos(row())
    assert_same_as_djangos(row(body_html=""))
    assert_same_as_djangos(
        row(
            subject="Réponse: l'imprimante 「プリンター」 " * 4,
            from_email='"Müller, Jürgen (Support)" <help@example.test>',
            to=["Łukasz <lukasz@example.test>", "carl@example.test"],
            body_text="Zeile " * 100 + "\n\n> quoted\n.\nFrom the start",
        )
    )


@settings(max_examples=60, deadline=None)
@given(subject=TEXT, body=TEXT, name=TEXT)
def test_any_text_is_composed_as_django_composes_it(subject, body, name):
    subject = " ".join(subject.split()) or "x"  # a subject is one line (the outbox stores it so)
    quoted = name.replace("\\", "").replace('"', "")
    assert_same_as_djangos(
        row(
            subject=subject,
            body_text=body,
            body_html=f"<p>{body}</p>",
            from_email=f'"{quoted}" <h@example.test>',
        )
    )


def test_each_message_has_a_fresh_random_boundary_that_readers_split_on():
    email = row()
    _, first = composed(message_of(email), policy.SMTP)
    _, second = composed(message_of(email), policy.SMTP)
    assert len(first) == len(second) == 1
    assert re.fullmatch(rb"=_[0-9a-f]{32}", first[0]) and first != second
    read = message_from_bytes(message_of(email).message(policy=policy.SMTP).as_bytes(), policy=policy.default)
    assert read.get_body(("plain",)).get_content().strip() == "Hello"
    assert read.get_body(("html",)).get_content().strip() == "<p>Hello</p>"


def test_a_header_name_parses_as_the_standard_library_parses_it():
    message = OutboxMessage(
        subject="Hi", body="x", to=["Rita <rita@example.test>"], from_email="h@example.test"
    )
    for _ in range(2):  # the second time through the classes built the first time
        parsed = message.message()
        [address] = parsed["To"].addresses
        assert (address.display_name, address.addr_spec) == ("Rita", "rita@example.test")
        assert parsed["Content-Type"].content_type == "text/plain"
        assert type(parsed["To"]) is type(message.message()["To"])

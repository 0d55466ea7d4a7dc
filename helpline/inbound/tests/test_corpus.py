"""Every message of the corpus parses and classifies as its manifest says (the intake's own test checks the
outcomes end to end)."""

import re
from email.parser import BytesParser

import pytest

from helpline.inbound.classify import Kind, classify
from helpline.inbound.headers import POLICY
from helpline.inbound.limits import check_structure
from helpline.inbound.message import ParsedMessage, Unparseable
from helpline.inbound.parsing import parse_message
from helpline.inbound.quotes import trim_reply
from helpline.inbound.tests.corpus import DESK_ADDRESSES, DIRECTORY, MANIFEST, SCENARIOS, Expected, read

NAMES = sorted(MANIFEST)
PARSEABLE = [name for name in NAMES if not MANIFEST[name].unparseable]
# The kind of mail each outcome goes with: the intake decides by it.
OUTCOME_KINDS = {
    "new_ticket": {Kind.PERSON},
    "new_ticket_no_autoreply": {Kind.AUTOMATIC},
    "reply": {Kind.PERSON, Kind.AUTOMATIC},
    "bounce": {Kind.BOUNCE},
    "rejected:unmatched bounce": {Kind.BOUNCE},
    "rejected:loop": {Kind.LOOP},
    "rejected:no usable sender": {Kind.PERSON},
    "rejected:banned sender": {Kind.PERSON},
    "rejected:unparseable": {Kind.PERSON},
}


def test_the_manifest_covers_every_file_and_at_least_sixty():
    files = sorted(path.name for path in DIRECTORY.glob("*.eml"))
    assert files == NAMES
    assert len(files) >= 60


@pytest.mark.parametrize("name", NAMES)
def test_the_expected_outcome_fits_the_expected_facts(name):
    expected = MANIFEST[name]
    assert Kind(expected.kind) in OUTCOME_KINDS[expected.outcome], expected.outcome
    assert (expected.outcome in ("reply", "bounce")) == bool(expected.ticket)
    assert not expected.ticket or expected.ticket in SCENARIOS
    assert (expected.outcome == "reply") == bool(expected.author)
    assert (expected.sender is None) == (
        expected.outcome in ("rejected:no usable sender", "rejected:unparseable")
    )
    assert (expected.outcome == "rejected:unparseable") == bool(expected.unparseable)
    if expected.outcome == "bounce":
        sent = {message_id for message_id, _ in SCENARIOS[expected.ticket].sent}
        assert expected.bounce is not None and expected.bounce.original_message_id in sent


@pytest.mark.parametrize("name", [name for name in NAMES if MANIFEST[name].unparseable])
def test_what_cannot_be_a_message_says_why(name):
    with pytest.raises(Unparseable) as refused:
        parse_message(read(name))
    assert MANIFEST[name].unparseable in refused.value.reason


@pytest.mark.parametrize("name", PARSEABLE)
def test_parse_and_classify(name):
    expected = MANIFEST[name]
    message = parse_message(read(name))
    assert (message.sender.email if message.sender else None) == expected.sender
    if expected.sender_name is not None:
        assert message.sender is not None and message.sender.name == expected.sender_name
    assert message.subject == expected.subject
    _check_body(message, expected)
    assert tuple(part.filename for part in message.attachments) == expected.attachments
    assert tuple(part.filename for part in message.attachments if part.inline) == expected.inline
    assert tuple(part.filename for part in message.refused) == expected.refused
    assert all(part.reason for part in message.refused)
    _check_headers(message, expected)
    classification = classify(message, DESK_ADDRESSES)
    assert classification.kind == Kind(expected.kind)
    assert expected.reason_has.lower() in classification.reason.lower()
    assert message.bounce == expected.bounce == classification.bounce


def _check_body(message: ParsedMessage, expected: Expected) -> None:
    kind = "html" if message.html else ("text" if message.text.strip() else "none")
    assert kind == expected.body
    if message.html:
        assert message.text.strip(), "an HTML body comes with its text"
    assert expected.text_has in message.text
    assert expected.html_has in message.html
    reply = trim_reply(message.text, message.html)
    if expected.new_text:
        assert reply.text == expected.new_text
    assert expected.new_html_has in reply.html
    if expected.new_html_lacks:
        assert expected.new_html_lacks in message.html and expected.new_html_lacks not in reply.html


def _check_headers(message: ParsedMessage, expected: Expected) -> None:
    if expected.in_reply_to is not None:
        assert message.in_reply_to == expected.in_reply_to
    if expected.cc is not None:
        assert tuple(address.email for address in message.cc) == expected.cc
    if expected.delivered_to is not None:
        assert message.delivered_to == expected.delivered_to
    if expected.message_id is not None:
        assert message.message_id == expected.message_id
    if expected.references_count is not None:
        assert len(message.references) == expected.references_count
    assert (message.date is not None) == expected.dated
    assert set(expected.defects) <= set(message.defects)


@pytest.mark.parametrize("name", PARSEABLE)
def test_no_header_value_carries_a_line_break(name):
    message = parse_message(read(name))
    values = [message.subject, message.message_id, *message.in_reply_to, *message.references]
    values += [value for name_values in message.headers.values() for value in name_values]
    values += [
        text
        for address in (message.sender, message.reply_to, *message.to, *message.cc)
        if address
        for text in (address.email, address.name)
    ]
    values += [part.filename for part in (*message.attachments, *message.refused)]
    assert not [value for value in values if re.search(r"[\r\n\x00]", value)]


@pytest.mark.parametrize("name", PARSEABLE)
def test_the_structure_check_counts_the_parts_the_parser_makes(name):
    """The bounds are checked on the bytes before parsing; they are only as good as the check's count."""
    data = read(name)
    parts = list(BytesParser(policy=POLICY).parsebytes(data).walk())
    assert check_structure(data).parts == len(parts)

"""parse_message: the bounds it keeps, and what it makes of mail the corpus does not spell out."""

import base64
import struct
from datetime import UTC, datetime

import pytest

from helpline.inbound import headers, limits, parts
from helpline.inbound.message import Unparseable
from helpline.inbound.parsing import parse_message

HEAD = "From: Rita <rita@example.test>\nTo: support@desk.example.test\nSubject: Test\nMessage-ID: <t.1@example.test>\n"


def mail(body: str, headers: str = "") -> bytes:
    return (HEAD + headers + "\n" + body).encode("utf-8", errors="surrogateescape")


def mixed(*parts_: tuple[str, str]) -> bytes:
    body = "".join(f"--b\n{headers}\n\n{payload}\n" for headers, payload in parts_) + "--b--\n"
    return mail(body, 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n')


def attachment(name: str, data: bytes, content_type: str = "application/octet-stream") -> tuple[str, str]:
    headers = f'Content-Type: {content_type}\nContent-Disposition: attachment; filename="{name}"\n'
    return headers + "Content-Transfer-Encoding: base64", base64.encodebytes(data).decode()


def nested_multiparts(levels: int) -> bytes:
    opening = "".join(f'Content-Type: multipart/mixed; boundary="n{n}"\n\n--n{n}\n' for n in range(levels))
    closing = "".join(f"--n{n}--\n" for n in reversed(range(levels)))
    return (HEAD + opening + "Content-Type: text/plain\n\ndeep\n" + closing).encode()


def test_a_header_block_over_the_bound_is_refused_before_parsing():
    filler = "X-Filler: " + "a" * 990 + "\n"
    within = filler * (limits.MAX_HEADER_BYTES // len(filler) - 1)
    assert parse_message(mail("body", within)).text == "body"
    with pytest.raises(Unparseable, match="header block is larger than 128 KB"):
        parse_message(mail("body", within + filler * 2))


def test_a_parts_header_block_is_bounded_too():
    huge = "X-Filler: " + "a" * (limits.MAX_HEADER_BYTES + 10)
    with pytest.raises(Unparseable, match="header block"):
        parse_message(mixed(("Content-Type: text/plain\n" + huge, "text")))


def test_too_many_lines_are_refused_before_the_parser_makes_an_object_of_each():
    assert parse_message(mail("x\n" * (limits.MAX_LINES - 10))).text.count("x") == limits.MAX_LINES - 10
    with pytest.raises(Unparseable, match="more than 1,000,000 lines"):
        parse_message(mail("x\n" * limits.MAX_LINES))
    with pytest.raises(Unparseable, match="more than 1,000,000 lines"):
        parse_message(mail("x\r" * limits.MAX_LINES))


def test_all_header_blocks_together_are_bounded():
    part = ("Content-Disposition: attachment; filename=a.txt\nX-Filler: " + "a" * 100 * 1024, "x")
    assert len(parse_message(mixed(*[part] * 9)).attachments) == 9
    with pytest.raises(Unparseable, match="header blocks are larger than 1024 KB"):
        parse_message(mixed(*[part] * 11))


def test_mime_header_values_are_read_only_as_far_as_the_bound():
    """The library reads parameters in time quadratic in the value's length: it reads this much of it."""
    padding = "; x-pad=" + "a" * (headers.MAX_MIME_HEADER_CHARS)
    early = ("Content-Type: text/plain\nContent-Disposition: attachment; filename=early.txt" + padding, "x")
    late = (
        "Content-Type: text/plain\nContent-Disposition: attachment" + padding + "; filename=late.txt",
        "x",
    )
    assert [part.filename for part in parse_message(mixed(early, late)).attachments] == [
        "early.txt",
        "part-3.txt",
    ]


def test_too_many_parts_are_refused():
    assert len(parse_message(mixed(*[attachment(f"{n}.txt", b"x") for n in range(10)])).attachments) == 10
    with pytest.raises(Unparseable, match=f"more than {limits.MAX_PARTS} parts"):
        parse_message(mixed(*[("Content-Type: text/plain", "x")] * limits.MAX_PARTS))


def test_nesting_is_bounded_where_the_parser_would_recurse_past_its_limit():
    assert parse_message(nested_multiparts(limits.MAX_DEPTH - 1)).text == "deep"
    with pytest.raises(Unparseable, match="nested more than 20 levels"):
        parse_message(nested_multiparts(limits.MAX_DEPTH + 1))
    # Two thousand levels raise RecursionError inside the email library itself.
    with pytest.raises(Unparseable, match="nested"):
        parse_message(nested_multiparts(2000))
    with pytest.raises(Unparseable, match="nested"):
        parse_message(mail("", "Content-Type: message/rfc822\n\n" * 2000))


def test_a_thousand_nested_comments_in_structured_headers_do_not_break_parsing():
    comments = "(" * 1000 + "x" + ")" * 1000
    message = parse_message(
        mail(
            "hello", f"Content-Type: text/plain {comments}; charset=utf-8\nCc: {comments} <a@example.test>\n"
        )
    )
    assert message.text == "hello"


def test_an_attachment_over_the_upload_limit_is_refused_with_its_size(settings):
    settings.HELPLINE_MAX_ATTACHMENT_BYTES = 1000
    message = parse_message(mixed(attachment("small.bin", b"x" * 1000), attachment("big.bin", b"x" * 3000)))
    assert [part.filename for part in message.attachments] == ["small.bin"]
    [refused] = message.refused
    assert (refused.filename, refused.size) == ("big.bin", 3000)
    assert refused.reason.startswith("big.bin is larger than")


def test_a_part_larger_than_the_default_limit_is_refused_not_kept():
    message = parse_message(
        mixed(
            ("Content-Type: text/plain", "see attached"),
            attachment("huge.iso", b"\0" * (10 * 1024 * 1024 + 1)),
        )
    )
    assert message.attachments == ()
    assert [(part.filename, part.size) for part in message.refused] == [("huge.iso", 10 * 1024 * 1024 + 1)]


def test_files_past_the_count_limit_are_refused_not_dropped(settings):
    settings.HELPLINE_MAX_ATTACHMENTS = 2
    message = parse_message(mixed(*[attachment(f"{n}.txt", b"x") for n in range(4)]))
    assert [part.filename for part in message.attachments] == ["0.txt", "1.txt"]
    assert [(part.filename, part.reason) for part in message.refused] == [
        ("2.txt", "At most 2 files are kept from one message."),
        ("3.txt", "At most 2 files are kept from one message."),
    ]


def test_a_body_over_its_bound_is_kept_as_a_file_or_refused_with_the_reason(settings):
    settings.HELPLINE_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
    large = "x" * (parts.MAX_BODY_BYTES + 1)
    text = parse_message(mail(large))
    assert (text.text, [(p.filename, len(p.data)) for p in text.attachments]) == (
        "",
        [("message.txt", len(large))],
    )
    html = parse_message(mail(large, "Content-Type: text/html\n"))
    assert html.html == "" and [(p.filename, p.reason) for p in html.refused] == [
        ("message.html", "The HTML body is larger than 2.0\xa0MB.")
    ]


def tnef_file(properties: int) -> bytes:
    """A winmail.dat holding one file, whose MAPI property list claims ``properties`` entries."""

    def record(level: int, attribute: int, data: bytes) -> bytes:
        header = struct.pack("<BHHI", level, attribute & 0xFFFF, attribute >> 16, len(data))
        return header + data + struct.pack("<H", sum(data) & 0xFFFF)

    return (
        struct.pack("<IH", 0x223E9F78, 1)
        + record(1, 0x00069003, struct.pack("<I", properties) + b"\0" * 4)
        + record(2, 0x00069002, b"\0" * 14)
        + record(2, 0x00018010, b"notes.txt\0")
        + record(2, 0x0006800F, b"the notes")
    )


def test_winmail_dat_is_unpacked_and_a_hostile_one_kept_whole():
    def message(data: bytes):
        return parse_message(
            mixed(
                ("Content-Type: text/plain", "see attached"),
                attachment("winmail.dat", data, "application/ms-tnef"),
            )
        )

    assert [(p.filename, p.data) for p in message(tnef_file(1)).attachments] == [("notes.txt", b"the notes")]
    # tnefparse would loop once per claimed property (a count can say four billion): not given to it.
    hostile = tnef_file(200_000)
    assert [(p.filename, p.data) for p in message(hostile).attachments] == [("winmail.dat", hostile)]
    assert [p.filename for p in message(b"not a TNEF file").attachments] == ["winmail.dat"]


def test_an_attached_message_sent_in_base64_is_decoded():
    inner = b"From: a@example.test\nSubject: Inner\n\nInner body\n"
    headers = "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=fwd.eml"
    message = parse_message(
        mixed(("Content-Type: text/plain", "fwd"), (headers, base64.encodebytes(inner).decode()))
    )
    assert [(p.filename, p.data.replace(b"\r\n", b"\n").strip()) for p in message.attachments] == [
        ("fwd.eml", inner.strip())
    ]


def test_message_ids_are_bare_tokens_in_angle_brackets_bounded_in_number():
    references = " ".join(f"<r{n}@example.test>" for n in range(50))
    message = parse_message(
        (
            "From: a@example.test\nMessage-ID: bare-id@example.test\n"
            "In-Reply-To: <p1@x> <p2@x> <p3@x> <p4@x> <p5@x> <p6@x>\n"
            f"References: {references}\n <r49@example.test>\n\nbody"
        ).encode()
    )
    assert message.message_id == "<bare-id@example.test>"
    assert message.in_reply_to == ("<p1@x>", "<p2@x>", "<p3@x>", "<p4@x>", "<p5@x>")
    assert message.references == tuple(f"<r{n}@example.test>" for n in range(20, 50))


def test_reply_to_names_and_a_date_without_zone():
    message = parse_message(
        mail(
            "body",
            "Reply-To: =?utf-8?q?R=C3=A9ponses?= <replies@example.test>\nDate: Mon, 4 Mar 2024 10:12:00 -0000\n",
        )
    )
    assert (message.reply_to.email, message.reply_to.name) == ("replies@example.test", "Réponses")
    assert message.date == datetime(2024, 3, 4, 10, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    "data", [b"", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" * 50, b"\n\n\n", b"just text, no headers"]
)
def test_bytes_that_are_no_mail_still_become_a_message_without_a_sender(data):
    assert parse_message(data).sender is None


def test_nul_and_control_bytes_never_reach_the_text():
    message = parse_message(mail("a\x00b\x1bc\r\nd\re", "Content-Type: text/plain; charset=utf-8\n"))
    assert message.text == "abc\nd\ne"

"""The content of a received message: its body (text and HTML) and its files, each within the bounds.

The body: of a multipart/alternative, the HTML (or the richest multipart) and the plain text the sender
wrote beside it; of a multipart/related, its root, with the other parts as its images; otherwise the first
inline text or HTML part, and the inline parts of the same kind after it (Apple Mail splits text around
an image). Every other part is a file: checked by the same rule and limits as uploads
(``core.uploads.refusal`` with the desk's settings, which the ticket actions check again when they store
the files), counted against the desk's ``max_attachments``, kept as a ``Part`` or recorded as a
``RefusedPart`` with the reason, never dropped. An image that the HTML shows through ``cid:`` is an
inline part. A part's size is bounded before it is decoded, from its encoded length.
"""

import binascii
import contextlib
import io
import mimetypes
import re
from dataclasses import dataclass, field, replace
from email.generator import BytesGenerator
from email.message import Message
from email.policy import compat32

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from helpline.core.desk import Desk, deployment
from helpline.core.sanitize import clean_filename, html_to_text
from helpline.core.uploads import refusal
from helpline.inbound import tnef
from helpline.inbound.charsets import decode_bytes
from helpline.inbound.headers import header_text
from helpline.inbound.limits import MAX_DEPTH
from helpline.inbound.message import Part, RefusedPart

MAX_BODY_BYTES = 2 * 1024 * 1024  # one text or HTML body part, decoded
MAX_CONTENT_ID_CHARS = 250

# Other renderings of the same text inside a multipart/alternative: not files.
_RENDERINGS = {"text/enriched", "text/richtext", "text/watch-html", "text/x-amp-html"}
_TNEF_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}
_EXTENSIONS = {
    "text/calendar": ".ics",
    "application/pgp-signature": ".asc",
    "application/pgp-encrypted": ".asc",
    "application/pkcs7-signature": ".p7s",
    "application/x-pkcs7-signature": ".p7s",
}
_MIME_TYPES = mimetypes.MimeTypes()  # the built-in table only: the same names on every machine
_BODY_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass
class Content:
    text: str = ""
    html: str = ""
    attachments: tuple[Part, ...] = ()
    refused: tuple[RefusedPart, ...] = ()


@dataclass
class _Walk:
    linesep: str
    limits: Desk
    text: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    files: list[Part] = field(default_factory=list)
    refused: list[RefusedPart] = field(default_factory=list)
    number: int = 0

    def walk(self, part: Message, depth: int) -> None:
        self.number += 1
        content_type = part.get_content_type()
        if depth > MAX_DEPTH:  # the structure check stops such messages first; this keeps the walk safe alone
            self.refuse(self.name_of(part, content_type), content_type, 0, "It is nested too deeply.")
        elif content_type.startswith("message/"):
            self.add_message(part, content_type)
        elif part.is_multipart():
            children = subparts(part)
            subtype = part.get_content_subtype()
            if subtype == "alternative":
                self.alternative(children, depth)
            elif subtype == "related":
                self.related(part, children, depth)
            else:
                for child in children:
                    self.walk(child, depth + 1)
        elif content_type.startswith("multipart/"):
            self.add_body(part, "text/plain")  # no boundary: the parser kept the whole body as text
        elif content_type in _TNEF_TYPES or (part.get_filename() or "").lower() == "winmail.dat":
            self.add_tnef(part, content_type)
        elif content_type in ("text/plain", "text/html") and self.is_inline_text(part):
            self.add_body(part, content_type)
        else:
            self.add_file(part, content_type)

    def alternative(self, children: list[Message], depth: int) -> None:
        plain = rich = None
        for child in children:
            content_type = child.get_content_type()
            if child.get_content_disposition() == "attachment":
                self.walk(child, depth + 1)
            elif content_type == "text/plain":
                plain = child
            elif content_type == "text/html" or content_type.startswith("multipart/"):
                rich = child
            elif content_type not in _RENDERINGS:
                self.walk(child, depth + 1)  # a calendar invitation beside its description, ...
        if rich is None:
            if plain is not None:
                self.walk(plain, depth + 1)
            return
        had_text = bool(self.text)
        self.walk(rich, depth + 1)
        if (
            plain is not None
            and not had_text
            and not self.text
            and (text := self.decode_text(plain)) is not None
        ):
            self.text.append(text)

    def related(self, part: Message, children: list[Message], depth: int) -> None:
        if not children:
            return
        start = part.get_param("start")
        start = start.strip("<> ") if isinstance(start, str) else ""
        root = next((child for child in children if start and _content_id(child) == start), children[0])
        self.walk(root, depth + 1)
        for child in children:
            if child is not root:
                self.walk(child, depth + 1)

    def is_inline_text(self, part: Message) -> bool:
        return part.get_content_disposition() != "attachment" and not part.get_filename()

    def add_body(self, part: Message, content_type: str) -> None:
        is_html = content_type == "text/html"
        kind = self.html if is_html else self.text
        if self.text or self.html:
            # A later inline part joins a body of its own kind (Apple Mail splits one around an image);
            # beside a body of the other kind (an HTML body with its text, say) it is a file.
            joins = bool(self.html) if is_html else bool(self.text) and not self.html
            if not joins:
                self.add_file(part, content_type)
                return
        text = self.decode_text(part)
        if text is not None:
            kind.append(text)
        elif content_type == "text/html":
            size = _encoded_size(part)
            reason = f"The HTML body is larger than {filesizeformat(MAX_BODY_BYTES)}."
            self.refuse("message.html", content_type, size, reason)
        else:
            self.add_file(part, content_type, name="message.txt")

    def decode_text(self, part: Message) -> str | None:
        """The part's text, or None when it is larger than a body may be."""
        if _encoded_size(part) > MAX_BODY_BYTES:
            return None
        data = _payload(part)
        if len(data) > MAX_BODY_BYTES:
            return None
        charset = part.get_content_charset()
        return clean_body(decode_bytes(data, charset if isinstance(charset, str) else None))

    def add_file(self, part: Message, content_type: str, name: str = "") -> None:
        name = name or self.name_of(part, content_type)
        if _is_base64(part) and (estimate := _encoded_size(part)) > self.limits.max_attachment_bytes:
            self.refuse(name, content_type, estimate, refusal(name, estimate, self.limits) or "")
            return
        self.keep(name, content_type, _payload(part), _content_id(part))

    def add_message(self, part: Message, content_type: str) -> None:
        """An attached message (or a report's fields) as a file: the bytes the sender attached."""
        inner = subparts(part)
        if content_type == "message/delivery-status":
            name = self.declared_name(part) or "delivery-status.txt"
            data = b"".join(self.serialize(block) for block in inner)
        else:
            subject = header_text(str(inner[0].get("subject", ""))) if inner else ""
            name = self.declared_name(part) or f"{subject or 'message'}.eml"
            data = b"".join(self.serialize(message) for message in inner)
            if str(part.get("content-transfer-encoding", "")).strip().lower() == "base64":
                data = _base64(data)  # not allowed for messages, sent anyway: the parser read it as text
        self.keep(name, content_type, data, _content_id(part))

    def add_tnef(self, part: Message, content_type: str) -> None:
        # The deployment's bound on what is decoded at all; each file unpacked meets the desk's in keep().
        if _encoded_size(part) > settings.HELPLINE_MAX_ATTACHMENT_BYTES:
            self.add_file(part, content_type)
            return
        data = _payload(part)
        unpacked = tnef.unpack(data) if tnef.is_tnef(data) else None
        if unpacked is None:
            self.keep(self.name_of(part, content_type), content_type, data, _content_id(part))
            return
        for name, file_data in unpacked.files:
            name = clean_filename(name, fallback=f"part-{self.number}.bin")
            self.keep(name, _MIME_TYPES.guess_type(name)[0] or "application/octet-stream", file_data, "")
        if not self.text and not self.html:
            html = _text_of(unpacked.html)
            if html:
                self.html.append(html)
            elif text := _text_of(unpacked.text):
                self.text.append(text)

    def keep(self, name: str, content_type: str, data: bytes, content_id: str) -> None:
        name = clean_filename(name)
        reason = refusal(name, len(data), self.limits)
        if reason is None and len(self.files) >= self.limits.max_attachments:
            reason = f"At most {self.limits.max_attachments} files are kept from one message."
        if reason is not None:
            self.refuse(name, content_type, len(data), reason)
        else:
            self.files.append(
                Part(filename=name, content_type=content_type, data=data, content_id=content_id)
            )

    def refuse(self, name: str, content_type: str, size: int, reason: str) -> None:
        self.refused.append(
            RefusedPart(filename=clean_filename(name), content_type=content_type, size=size, reason=reason)
        )

    def declared_name(self, part: Message) -> str:
        try:
            raw = part.get_filename()
        except (LookupError, ValueError, TypeError):
            return ""
        return header_text(raw) if isinstance(raw, str) else ""

    def name_of(self, part: Message, content_type: str) -> str:
        name = self.declared_name(part)
        if name:
            return name
        extension = _EXTENSIONS.get(content_type) or _MIME_TYPES.guess_extension(content_type)
        if extension is None:
            extension = ".txt" if content_type.startswith("text/") else ".bin"
        return f"part-{self.number}{extension}"

    def serialize(self, message: Message) -> bytes:
        """The message as bytes again, its headers as received (compat32 writes raw values unchanged)."""
        out = io.BytesIO()
        policy = compat32.clone(linesep=self.linesep, max_line_length=None)
        # A message too broken to be written again is kept as far as it went.
        with contextlib.suppress(Exception):
            BytesGenerator(out, mangle_from_=False, policy=policy).flatten(message)
        return out.getvalue()


def read_content(message: Message, linesep: str, limits: Desk | None = None) -> Content:
    """The message's body and files; a file is kept within ``limits`` (the desk's settings, which the
    intake passes, so that a file the ticket actions would refuse when storing the message, failing it
    whole, is refused here as a part and named in the message), by default the deployment's."""
    walk = _Walk(linesep=linesep, limits=limits or deployment())
    walk.walk(message, 0)
    html = "".join(walk.html)
    text = "\n".join(walk.text) if walk.text else (html_to_text(html) if html else "")
    shown = html.lower()
    files = tuple(
        replace(file, inline=True)
        if file.content_id
        and file.content_type.startswith("image/")
        and f"cid:{file.content_id.lower()}" in shown
        else file
        for file in walk.files
    )
    return Content(text=text, html=html, attachments=files, refused=tuple(walk.refused))


def subparts(part: Message) -> list[Message]:
    """The parts inside a multipart, the message inside a message/* part, the blocks of a delivery report."""
    payload = part.get_payload()
    return [child for child in payload if isinstance(child, Message)] if isinstance(payload, list) else []


def clean_body(text: str) -> str:
    """One kind of line break, no control characters but tab and newline (PostgreSQL refuses NUL)."""
    return _BODY_CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _text_of(value: str | bytes) -> str:
    return clean_body(decode_bytes(value) if isinstance(value, bytes) else value).strip()


def _content_id(part: Message) -> str:
    value = header_text(str(part.get("content-id", ""))).strip("<> ")
    return value if len(value) <= MAX_CONTENT_ID_CHARS and " " not in value else ""


def _is_base64(part: Message) -> bool:
    return str(part.get("content-transfer-encoding", "")).strip().lower() == "base64"


def _encoded_size(part: Message) -> int:
    """An upper bound of the decoded size, read from the encoded text without decoding it."""
    payload = part.get_payload()
    if not isinstance(payload, str):
        return 0
    if _is_base64(part):
        spaces = sum(payload.count(character) for character in "\r\n\t ")
        return (len(payload) - spaces) * 3 // 4 - payload.rstrip()[-2:].count("=")
    return len(payload)


def _payload(part: Message) -> bytes:
    if _is_base64(part):
        # Characters outside ASCII are no base64 (the library hands 8-bit bytes over as U+FFFD here).
        payload = part.get_payload()
        return _base64(payload.encode("ascii", errors="ignore")) if isinstance(payload, str) else b""
    try:
        data = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError):
        return b""
    return data if isinstance(data, bytes) else b""


def _base64(data: bytes) -> bytes:
    """Base64 decoded leniently: characters outside the alphabet skipped, missing padding supplied."""
    try:
        return binascii.a2b_base64(data)
    except binascii.Error:
        cleaned = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
        cleaned = cleaned[: len(cleaned) - 1] if len(cleaned) % 4 == 1 else cleaned
        return binascii.a2b_base64(cleaned + b"=" * (-len(cleaned) % 4))

"""The fields of an osTicket request, checked: what the ticket is opened with, or every field that is wrong.

osTicket answers 500 for most of a client's mistakes; here each is a 400 naming the field, all at once. A
bad attachment is refused instead of being dropped: the script learns its file did not arrive.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from helpline.api.osticket.dataurls import BadData, decode_base64, is_data_url, parse_data_url
from helpline.core.sanitize import html_to_text, sanitize_html
from helpline.core.text import one_line
from helpline.core.uploads import refusal
from helpline.people.requesters import Contact, normalize_email

FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})
SUBJECT_CHARS = 255
# A NUL in a field is refused, in the words of the REST API and of the portal's forms (the custom fields
# are checked by those forms): no database text column holds one, and no name, address or word has one.
NUL = "\x00"
NUL_REFUSED = "Null characters are not allowed."
# The fields read as words that are looked up (a priority's name, a source), besides those read by ``_text``.
LOOKED_UP = ("priorityId", "priority", "source")


class Refused(ValueError):
    """The request cannot open a ticket: one ``field: reason`` line per mistake."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("\n".join(f"{name}: {reason}" for name, reason in problems))
        self.problems = problems


@dataclass(frozen=True)
class TicketRequest:
    contact: Contact
    subject: str
    body: str
    body_format: str  # "text" or "html" (sanitized by the action, as every door's HTML is)
    attachments: list[SimpleUploadedFile] = field(default_factory=list)
    topic_id: int | None = None
    priority: str = ""
    source: str = "api"
    alert: bool = True
    autorespond: bool = True
    # The request's other keys: custom fields by name, once the topic is known (``custom``).
    other: dict[str, Any] = field(default_factory=dict)


def flag(value: Any) -> bool:
    """osTicket's alert and autorespond: true unless given as false (false, 0, "false", "no", "off", "")."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() not in FALSE_WORDS
    return bool(value)


def _text(data: dict[str, Any], name: str, problems: list[tuple[str, str]]) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.append((name, "must be a string."))
        return ""
    if NUL in str(value):
        problems.append((name, NUL_REFUSED))
        # The rest is checked on: a mistake it holds too is named, "is required" is not.
        return str(value).replace(NUL, "")
    return str(value)


def _message(value: Any, problems: list[tuple[str, str]]) -> tuple[str, str]:
    """The body and its format: plain text, a text/plain or text/html data URL, or XML's typed element."""
    if isinstance(value, dict):
        body, kind = str(value.get("body") or ""), str(value.get("type") or "text/plain").lower()
    elif isinstance(value, str) and is_data_url(value):
        try:
            url = parse_data_url(value, settings.HELPLINE_MAX_EMAIL_BYTES)
            body, kind = url.text(), url.content_type
        except BadData as error:
            problems.append(("message", f"{error}."))
            return "", "text"
    elif isinstance(value, str):
        body, kind = value, "text/plain"
    else:
        problems.append(("message", "is required." if value is None else "must be a string."))
        return "", "text"
    if NUL in body:
        problems.append(("message", NUL_REFUSED))
        return "", "text"
    body_format = "html" if kind == "text/html" else "text"
    shown = html_to_text(sanitize_html(body)) if body_format == "html" else body
    if not shown.strip():
        problems.append(
            ("message", "is required." if not body.strip() else "is empty once its HTML is sanitized.")
        )
    return body, body_format


def _attachment(entry: Any, index: int) -> tuple[SimpleUploadedFile | None, str]:
    """One file, from ``{"name": "data:..."}`` (JSON) or ``{"name":, "type":, "encoding":, "data":}``."""
    limit = settings.HELPLINE_MAX_ATTACHMENT_BYTES
    if not isinstance(entry, dict) or not entry:
        return None, f'attachment {index + 1} must be an object such as {{"file.txt": "data:..."}}.'
    if "data" in entry and "name" in entry:
        name, content_type = str(entry["name"]), str(entry.get("type") or "text/plain")
        raw = str(entry["data"])
        base64 = str(entry.get("encoding") or "").lower() == "base64"
        if len(raw) > limit * 2:
            return None, f"{name} is larger than {limit:,} bytes."
        try:
            data = decode_base64(raw.encode()) if base64 else raw.encode()
        except BadData as error:
            return None, f"{name}: {error}."
    elif len(entry) == 1:
        name, url = next(iter(entry.items()))
        name = str(name)
        if not isinstance(url, str) or not is_data_url(url):
            return None, f"{name}: the file must be a data URL (data:<type>;base64,<data>)."
        try:
            parsed = parse_data_url(url, limit)
        except BadData as error:
            return None, f"{name}: {error}."
        content_type, data = parsed.content_type, parsed.data
    else:
        return None, f'attachment {index + 1} must name one file: {{"file.txt": "data:..."}}.'
    reason = refusal(name, len(data))
    if reason:
        return None, reason
    return SimpleUploadedFile(name, data, content_type=content_type), ""


def _attachments(value: Any, problems: list[tuple[str, str]]) -> list[SimpleUploadedFile]:
    if value in (None, "", []):
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        problems.append(("attachments", "must be a list of files."))
        return []
    if len(value) > settings.HELPLINE_MAX_ATTACHMENTS:
        problems.append(
            ("attachments", f"at most {settings.HELPLINE_MAX_ATTACHMENTS} files may be attached.")
        )
        return []
    files = []
    for index, entry in enumerate(value):
        upload, reason = _attachment(entry, index)
        if upload is None:
            problems.append(("attachments", reason))
        else:
            files.append(upload)
    return files


def _contact(data: dict[str, Any], problems: list[tuple[str, str]]) -> Contact:
    name = one_line(_text(data, "name", problems), 200)
    email = _text(data, "email", problems).strip()
    if not name:
        problems.append(("name", "is required."))
    if not email:
        problems.append(("email", "is required."))
    else:
        try:
            email = normalize_email(email)
        except ValidationError:
            problems.append(("email", f"{email[:100]!r} is not a valid email address."))
    phone = _text(data, "phone", problems).strip()
    extension = _text(data, "phone_ext", problems).strip()
    if not extension and "X" in phone.upper():
        # osTicket's "3185558634X123": the extension after a capital X.
        number, _, extension = phone.upper().rpartition("X")
        phone, extension = number.strip(), extension.strip()
    phone = f"{phone} x{extension}" if phone and extension else phone
    return Contact(email=email, name=name, phone=one_line(phone, 40))


def _number(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def read_request(data: Any) -> TicketRequest:
    """The checked request. Raises Refused listing every mistake. The other keys are kept for the custom
    fields of the ticket's topic (``custom``); those that name none are ignored, as osTicket ignores them."""
    if not isinstance(data, dict):
        raise Refused(
            [("body", "must be one JSON object holding the ticket's fields, not a list or a value.")]
        )
    problems: list[tuple[str, str]] = []
    contact = _contact(data, problems)
    written = _text(data, "subject", problems)
    # Subjects are plain text: markup is removed (a subject that was only markup is then empty).
    subject = one_line(html_to_text(written), SUBJECT_CHARS)
    if not subject:
        problems.append(
            ("subject", "is required." if not written.strip() else "is empty once its HTML is removed.")
        )
    body, body_format = _message(data.get("message"), problems)
    files = _attachments(data.get("attachments"), problems)
    problems += [(name, NUL_REFUSED) for name in LOOKED_UP if NUL in str(data.get(name) or "")]
    if problems:
        raise Refused(problems)
    return TicketRequest(
        contact=contact,
        subject=subject,
        body=body,
        body_format=body_format,
        attachments=files,
        topic_id=_number(data.get("topicId")),
        priority=str(data.get("priorityId") or data.get("priority") or "").strip(),
        source=str(data.get("source") or "api").strip().lower(),
        alert=flag(data.get("alert")),
        autorespond=flag(data.get("autorespond")),
        other=data,
    )

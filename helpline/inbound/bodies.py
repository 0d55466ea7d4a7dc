"""A received message as the ticket actions take it: its files as uploads, its body with a line for each
part not kept, and the copied addresses that are addresses."""

from html import escape

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from helpline.inbound.message import ParsedMessage, Part
from helpline.people.requesters import Contact, normalize_email


def attachments_of(parts: tuple[Part, ...]) -> list[SimpleUploadedFile]:
    """The message's files as uploads for the ticket actions; an inline image keeps its Content-ID, so the
    thread shows it where the message does."""
    files = []
    for part in parts:
        upload = SimpleUploadedFile(part.filename or "attachment", part.data, content_type=part.content_type)
        upload.content_id = part.content_id if part.inline else ""  # type: ignore[attr-defined]
        files.append(upload)
    return files


def with_refusals(body: str, body_format: str, parsed: ParsedMessage) -> str:
    """The body, followed by a line for each part that was not kept and why: never dropped silently."""
    if not parsed.refused:
        return body
    lines = [f"Not attached: {part.filename or part.content_type} ({part.reason})" for part in parsed.refused]
    if body_format == "html":
        return body + "".join(f"<p><em>{escape(line)}</em></p>" for line in lines)
    return body.rstrip() + "\n\n" + "\n".join(f"[{line}]" for line in lines)


def valid_contacts(contacts: list[Contact]) -> list[Contact]:
    valid = []
    for contact in contacts:
        try:
            normalize_email(contact.email)
        except ValidationError:
            continue
        valid.append(contact)
    return valid

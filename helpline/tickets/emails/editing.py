"""Administrators' own texts for the notification emails: saved only when every part compiles, each change
recorded in the audit log with the text before and after, and a way back to the shipped text."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from helpline.audit.log import record
from helpline.core.sanitize import sanitize_html
from helpline.people.models import Agent
from helpline.tickets.emails.context import sample_context
from helpline.tickets.emails.kinds import KINDS
from helpline.tickets.emails.rendering import (
    PART_LABELS,
    PARTS,
    compile_error,
    render_part,
    shipped_source,
    subject_line,
)
from helpline.tickets.models import NotificationTemplate
from helpline.tickets.policy import NotAllowed

MAX_CHARS = {"subject": 1000, "body_text": 50_000, "body_html": 100_000}
TARGET_TYPE = "notification_template"
# The preview shows the body of the HTML; the head's title would come out as stray text.
HEAD = re.compile(r"<head\b.*?</head\s*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Sources:
    """A kind's three template sources as they stand: the administrator's, or the shipped ones."""

    subject: str
    body_text: str
    body_html: str
    edited_at: datetime | None = None

    @property
    def edited(self) -> bool:
        return self.edited_at is not None

    def parts(self) -> dict[str, str]:
        return {part: getattr(self, part) for part in PARTS}


class TemplateInvalid(ValueError):
    """Some parts are no templates; ``errors`` says why, part by part."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{PART_LABELS[part]}: {message}" for part, message in errors.items()))
        self.errors = errors


def shipped_sources(kind: str) -> Sources:
    return Sources(
        shipped_source(kind, "subject"), shipped_source(kind, "body_text"), shipped_source(kind, "body_html")
    )


def current_sources(kind: str) -> Sources:
    row = NotificationTemplate.objects.filter(kind=kind).first()
    return _of(row) if row is not None else shipped_sources(kind)


def overrides(kind: str) -> dict[str, str] | None:
    """The administrator's sources for ``rendering.render_email``, or None for the shipped ones."""
    row = NotificationTemplate.objects.filter(kind=kind).first()
    return _of(row).parts() if row is not None else None


def overrides_of(kinds: Iterable[str]) -> dict[str, dict[str, str] | None]:
    """``overrides`` of each kind, in one query (for a lot of emails of several kinds)."""
    wanted = set(kinds)
    found = {row.kind: _of(row).parts() for row in NotificationTemplate.objects.filter(kind__in=wanted)}
    return {kind: found.get(kind) for kind in wanted}


def template_errors(parts: dict[str, str]) -> dict[str, str]:
    """Why each part cannot be saved (empty, too long, does not compile); empty when all can."""
    errors = {}
    for part in PARTS:
        source = parts[part]
        if not source.strip():
            errors[part] = "This part cannot be empty."
        elif len(source) > MAX_CHARS[part]:
            errors[part] = f"At most {MAX_CHARS[part]:,} characters."
        elif (error := compile_error(part, source)) is not None:
            errors[part] = error
    return errors


@dataclass(frozen=True)
class Preview:
    """A kind's email rendered with the sample ticket: each part's output, or why it failed (an email
    would then carry the shipped part). ``html`` is sanitized, to show inside a page."""

    subject: str
    body_text: str
    html: str
    errors: dict[str, str]


def preview(kind: str, parts: dict[str, str]) -> Preview:
    context = sample_context(kind)
    output, errors = {}, {}
    for part in PARTS:
        try:
            output[part] = render_part(part, parts[part], context)
        except Exception as error:  # noqa: BLE001 - shown to the administrator, who can fix it
            output[part], errors[part] = "", f"{type(error).__name__}: {error}"
    return Preview(
        subject=subject_line(output["subject"], context["ticket"].number) if output["subject"] else "",
        body_text=output["body_text"],
        html=sanitize_html(HEAD.sub("", output["body_html"])),
        errors=errors,
    )


def save_template(*, actor: Agent, kind: str, subject: str, body_text: str, body_html: str) -> Sources:
    """Make these sources the kind's email (administrators only). Text equal to the shipped text is the
    shipped text: no row is kept for it. Raises NotAllowed, KeyError for an unknown kind, TemplateInvalid."""
    _require_administrator(actor)
    KINDS[kind]  # noqa: B018 - an unknown kind raises KeyError here
    wanted = {
        part: _lines(source) for part, source in zip(PARTS, (subject, body_text, body_html), strict=True)
    }
    if errors := template_errors(wanted):
        raise TemplateInvalid(errors)
    shipped = shipped_sources(kind)
    with transaction.atomic():
        row = NotificationTemplate.objects.select_for_update().filter(kind=kind).first()
        before = _of(row) if row is not None else shipped
        if before.parts() == wanted:
            return before
        if wanted == shipped.parts():
            NotificationTemplate.objects.filter(kind=kind).delete()
            after = shipped
        else:
            row, _ = NotificationTemplate.objects.update_or_create(
                kind=kind, defaults={**wanted, "updated_at": timezone.now()}
            )
            after = _of(row)
        _record(actor, kind, "notification_template.changed", before, after)
    return after


def reset_template(*, actor: Agent, kind: str) -> Sources:
    """Back to the shipped text (administrators only); nothing to record when the kind has no text of
    its own. Raises NotAllowed, KeyError for an unknown kind."""
    _require_administrator(actor)
    KINDS[kind]  # noqa: B018 - an unknown kind raises KeyError here
    shipped = shipped_sources(kind)
    with transaction.atomic():
        row = NotificationTemplate.objects.select_for_update().filter(kind=kind).first()
        if row is None:
            return shipped
        before = _of(row)
        row.delete()
        _record(actor, kind, "notification_template.reset", before, shipped)
    return shipped


def _record(actor: Agent, kind: str, action: str, before: Sources, after: Sources) -> None:
    changed = [part for part in PARTS if getattr(before, part) != getattr(after, part)]
    record(
        actor=actor,
        action=action,
        target_type=TARGET_TYPE,
        target_id=kind,
        target_repr=f"{KINDS[kind].label} email",
        data={
            "before": {part: getattr(before, part) for part in changed},
            "after": {part: getattr(after, part) for part in changed},
        },
    )


def _of(row: NotificationTemplate) -> Sources:
    return Sources(row.subject, row.body_text, row.body_html, edited_at=row.updated_at)


def _lines(source: str) -> str:
    """Line ends as the shipped files have them (browsers send CRLF from a text area)."""
    return source.replace("\r\n", "\n").replace("\r", "\n")


def _require_administrator(actor: Agent) -> None:
    if not (actor.is_active and actor.is_administrator):
        raise NotAllowed("Only Helpline administrators change the notification emails.")

"""What a notification's templates are given: plain values, built from the ticket for each recipient.

Templates never see a model instance (through one a template could walk to any related row, a password
hash or an access secret): they get these frozen records, whose fields are the variables ``emails.kinds``
documents, and nothing else.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from helpline.core.timefmt import format_when
from helpline.mail.threading import token
from helpline.tickets.emails.kinds import KINDS
from helpline.tickets.models import ThreadEntry, Ticket


@dataclass(frozen=True, slots=True)
class PersonVars:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True, slots=True)
class TicketVars:
    number: str
    token: str
    subject: str
    department: str
    priority: str
    status: str
    due: str
    first_response_due: str
    requester: PersonVars
    assignee: str
    team: str

    def __str__(self) -> str:
        return f"{self.token} {self.subject}"


@dataclass(frozen=True, slots=True)
class EntryVars:
    author: str
    body_text: str
    body_html: SafeString

    def __str__(self) -> str:
        return self.body_text


def ticket_vars(ticket: Ticket, time_zone: str) -> TicketVars:
    """Precondition: the ticket was read with its requester, department, priority, status, assignee and
    team (``notification_emails.TICKET_RELATIONS``)."""
    return TicketVars(
        number=ticket.number,
        token=token(ticket.number),
        subject=ticket.subject,
        department=ticket.department.name,
        priority=ticket.priority.name,
        status=ticket.status.name,
        due=format_when(ticket.due_at, time_zone or None) if ticket.due_at else "",
        first_response_due=(
            format_when(ticket.first_response_due_at, time_zone or None)
            if ticket.first_response_due_at
            else ""
        ),
        requester=PersonVars(ticket.requester.name, ticket.requester.email),
        assignee=ticket.assignee.display_name if ticket.assignee else "",
        team=ticket.team.name if ticket.team else "",
    )


def entry_vars(entry: ThreadEntry | None) -> EntryVars | None:
    if entry is None:
        return None
    # body_html is sanitized when the entry is written (``actions.base.body_fields``).
    html = entry.body_html or linebreaks(entry.body_text, autoescape=True)
    return EntryVars(author=entry.author_name, body_text=entry.body_text, body_html=mark_safe(html))  # noqa: S308


def email_context(kind: str, **values: Any) -> dict[str, Any]:
    """The context for a kind's templates: of the values given, those the kind documents, plus
    ``site_url``. A variable a kind does not document is dropped, so the list shown to administrators is
    exactly what the templates get."""
    documented = {variable.name.split(".")[0] for variable in KINDS[kind].variables}
    values["site_url"] = settings.SITE_URL
    return {name: value for name, value in values.items() if name in documented}


def sample_context(kind: str) -> dict[str, Any]:
    """A made-up ticket, for the preview on the page that edits a kind."""
    number = "12345678"
    sample = TicketVars(
        number=number,
        token=token(number),
        subject="Printer on fire",
        department="Support",
        priority="High",
        status="Open",
        due=format_when(timezone.now() + timedelta(hours=-1 if kind == "overdue" else 4)),
        first_response_due=format_when(timezone.now() + timedelta(minutes=-10 if kind == "overdue" else 20)),
        requester=PersonVars("Rita Requester", "rita@example.com"),
        assignee="Sam Agent",
        team="",
    )
    if kind == "mentioned":
        author, body = "Sam Agent", "@lena could you check the toner order?"
    elif kind in ("response", "followed_update"):
        author, body = "Sam Agent", "Unplug it, then plug it back in.\n\nDoes it still smoke?"
    else:
        author, body = "Rita Requester", "It is really on fire.\n\nThe paper tray, mostly."
    audience_url = (
        f"{settings.SITE_URL}/portal/t/private-link-of-the-recipient/"
        if KINDS[kind].audience == "requester"
        else settings.SITE_URL + reverse("staff:ticket", args=[number])
    )
    return email_context(
        kind,
        ticket=sample,
        requester=sample.requester,
        entry=EntryVars(author, body, mark_safe(linebreaks(body, autoescape=True))),  # noqa: S308
        url=audience_url,
        reply_by_email=True,
        note_address="support+note@example.com",
        finished_state="",
        target="resolution",
        update="note",
        changed_by="Sam Agent",
    )

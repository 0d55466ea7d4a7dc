"""The notification emails: each kind, who receives it, and the variables its templates may use.

The variables listed for a kind are all its templates are given (``emails.context`` builds exactly these):
the page that edits a kind shows this list, and a template cannot reach anything else.
"""

from dataclasses import dataclass

REQUESTER = "requester"
AGENT = "agent"


@dataclass(frozen=True)
class Variable:
    name: str
    meaning: str


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    audience: str  # REQUESTER or AGENT
    when: str
    has_entry: bool = False
    extra: tuple[Variable, ...] = ()

    @property
    def variables(self) -> tuple[Variable, ...]:
        for_audience = REQUESTER_VARIABLES if self.audience == REQUESTER else AGENT_VARIABLES
        return (*TICKET_VARIABLES, *for_audience, *(ENTRY_VARIABLES if self.has_entry else ()), *self.extra)


TICKET_VARIABLES = (
    Variable("ticket.number", "The ticket's number, e.g. 12345678."),
    Variable(
        "ticket.token",
        "The number as subjects carry it, e.g. [#12345678]. Replies are matched to the ticket by it; a "
        "subject without it gets it in front.",
    ),
    Variable("ticket.subject", "The ticket's subject."),
    Variable("ticket.department", "The department's name (after a transfer, the new department)."),
    Variable("ticket.priority", "The priority's name."),
    Variable("ticket.status", "The status's name."),
    Variable(
        "ticket.due",
        "The resolution due time with its zone, in the recipient's zone; empty without a due time.",
    ),
    Variable(
        "ticket.first_response_due",
        "When a first response is due, likewise; empty once answered or without a first-response target.",
    ),
    Variable("ticket.requester.name", "The requester's name."),
    Variable("ticket.requester.email", "The requester's email address."),
    Variable("ticket.assignee", "The assigned agent's name; empty when nobody is assigned."),
    Variable("ticket.team", "The assigned team's name; empty when no team is assigned."),
    Variable(
        "reply_by_email",
        "True when a reply to the email reaches the ticket (the department has a reply address).",
    ),
    Variable("site_url", "Helpline's public address."),
)
REQUESTER_VARIABLES = (
    Variable(
        "requester.name", "The recipient's name: the requester, or a collaborator copied on the ticket."
    ),
    Variable("requester.email", "The recipient's email address."),
    Variable("url", "The recipient's private link to the ticket: whoever has it can read and answer it."),
)
AGENT_VARIABLES = (
    Variable("url", "The ticket's page in the staff panel."),
    Variable(
        "note_address",
        "Where the agent sends a reply to make it an internal note rather than a response; empty when "
        "reply_by_email is false.",
    ),
)
ENTRY_VARIABLES = (
    Variable("entry.author", "Who wrote the message or reply, as the thread shows them."),
    Variable("entry.body_text", "What they wrote, as plain text."),
    Variable(
        "entry.body_html", "What they wrote, as HTML (sanitized; in the HTML body it is inserted as is)."
    ),
)
SLA_TARGET = Variable(
    "target",
    '"first_response" or "resolution": the target the email is about (ticket.first_response_due or '
    "ticket.due is its due time).",
)
FINISHED_STATE = Variable(
    "finished_state", '"resolved" or "closed" when the reply resolved or closed the ticket, else empty.'
)
UPDATE = Variable(
    "update",
    '"reply" (an agent replied), "message" (the requester or a collaborator wrote), "note" (an internal '
    'note) or "status" (the status changed: ticket.status is the new one); entry is empty for a status.',
)
CHANGED_BY = Variable("changed_by", "Who made the change, as the thread names them.")

# In the order the administration area lists them.
KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "new_ticket_requester",
            "New ticket auto-reply",
            REQUESTER,
            "to the requester, when their ticket is opened (the first message is the entry)",
            has_entry=True,
        ),
        Kind(
            "new_ticket_department",
            "New ticket alert",
            AGENT,
            "to the department's agents, its manager and its alert address, when a ticket arrives",
            has_entry=True,
        ),
        Kind(
            "message_alert",
            "New message alert",
            AGENT,
            "to the assignee (else the team, else the department) when the requester writes",
            has_entry=True,
        ),
        Kind("assigned", "Assignment", AGENT, "to the agent or team the ticket is assigned to"),
        Kind("transferred", "Transfer", AGENT, "to the new department's agents after a transfer"),
        Kind(
            "response",
            "Response",
            REQUESTER,
            "to the requester and collaborators when an agent replies",
            has_entry=True,
            extra=(FINISHED_STATE,),
        ),
        Kind(
            "sla_warning",
            "Due soon",
            AGENT,
            "to the assignee (else the team, else the department) when the SLA plan's warning of a target "
            "is reached",
            extra=(SLA_TARGET,),
        ),
        Kind(
            "overdue",
            "Overdue",
            AGENT,
            "to the assignee (else the team, else the department) when a target is missed",
            extra=(SLA_TARGET,),
        ),
        Kind("ticket_resolved", "Resolved", REQUESTER, "to the requester and collaborators when resolved"),
        Kind("ticket_closed", "Closed", REQUESTER, "to the requester and collaborators when closed"),
        Kind(
            "reopened", "Reopened", AGENT, "to the assignee (else the team, else the department) on reopening"
        ),
        Kind(
            "followed_update",
            "Followed ticket update",
            AGENT,
            "to the agents who follow the ticket when someone replies, writes, adds a note or changes its "
            "status (never about their own change, nor when the same change alerts them already)",
            has_entry=True,
            extra=(UPDATE, CHANGED_BY),
        ),
        Kind(
            "mentioned",
            "Mentioned in a note",
            AGENT,
            "to the agents an internal note mentions with @ (those who may see the ticket; the note is the "
            "entry)",
            has_entry=True,
        ),
    )
}

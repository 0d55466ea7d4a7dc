"""Opening a ticket: the one intake every door calls, numbering, routing by help topic, the first message.

``receive_ticket`` is what the doors call (the portal, the staff panel, the email intake, the API): it takes
who wrote (a ``Contact``), finds or creates that requester and opens the ticket, in one transaction, so a
refused ticket leaves no new requester behind. ``open_ticket`` opens a ticket for a requester already known.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import cast

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.core.prepared_inserts import PreparedInsert
from helpline.core.sqlite.batching import batched
from helpline.core.text import one_line
from helpline.people.access import works_in
from helpline.people.actors import Actor
from helpline.people.models import Agent, Department, Requester, Team
from helpline.people.requesters import Contact, find_or_create_requester
from helpline.routing.assignment import AutoAssignment, next_assignee
from helpline.routing.defaults import Defaults
from helpline.routing.models import ActionKind, HelpTopic
from helpline.routing.models import Event as RuleEvent
from helpline.routing.rules import Decision
from helpline.sla.models import SLAPlan
from helpline.tickets import sla_clock
from helpline.tickets.actions import rules
from helpline.tickets.actions.base import add_entry, body_fields, notify, record_event
from helpline.tickets.actions.custom_fields import FieldValues, require_settable, store_values
from helpline.tickets.actions.rules import Envelope
from helpline.tickets.events import ActorData, Assigned, Created, Ref
from helpline.tickets.models import Collaborator, EntryKind, Source, Ticket
from helpline.tickets.notifications import Owed
from helpline.tickets.numbers import new_ticket_number
from helpline.tickets.policy import (
    NotAllowed,
    chooses_routing,
    opens_for_self,
    require_assignable,
    require_chosen_routing,
    require_open,
)
from helpline.tickets.workload import open_ticket_counts

NUMBER_ATTEMPTS = 10
TICKETS = PreparedInsert(Ticket)
MAX_MESSAGE_ID_CHARS = 998


@dataclass(frozen=True)
class Routing:
    """Where the door wants the ticket to go. The help topic routes it (department, priority, SLA plan,
    auto-assignment); the other fields override the topic. Requesters route by topic alone."""

    topic: HelpTopic | None = None
    department: Department | None = None
    priority: Priority | None = None
    sla_plan: SLAPlan | None = None
    assignee: Agent | None = None
    team: Team | None = None


@batched
def receive_ticket(
    *,
    sender: Contact,
    channel: str,
    subject: str,
    body: str,
    body_format: str = "text",
    attachments: Sequence[UploadedFile] = (),
    cc: Sequence[Contact] = (),
    routing: Routing = Routing(),
    entered_by: Actor | None = None,
    confirm: bool = True,
    alert: bool = True,
    follow_up_of: Ticket | None = None,
    email_thread_id: str = "",
    envelope: Envelope | None = None,
    field_values: FieldValues | None = None,
) -> Ticket:
    """Open a ticket from ``sender`` through ``channel`` (a ``Source``). ``confirm=False`` sends the requester
    no confirmation (the intake does so for automatic mail, which no automatic reply may answer);
    ``alert=False`` tells no agent of the new ticket or of its assignment (a script that asks so).
    ``follow_up_of``: the finished ticket this one continues. ``entered_by`` is who enters it for
    them (an agent on the phone, the email intake, an API key); None when the sender opens it themselves
    (the portal), who then acts as the requester. ``email_thread_id`` is the Message-ID of the email that
    opens it: the emails about the ticket continue that conversation. Raises ValidationError for a bad address, NotAllowed (and
    TooManyOpenTickets) when the policy refuses, ValueError when no department can be determined."""
    with transaction.atomic():
        requester = find_or_create_requester(sender)
        copied = [find_or_create_requester(contact) for contact in cc]
        return open_ticket(
            actor=entered_by or requester,
            requester=requester,
            subject=subject,
            body=body,
            body_format=body_format,
            source=channel,
            routing=routing,
            collaborators=copied,
            attachments=attachments,
            confirm=confirm,
            alert=alert,
            follow_up_of=follow_up_of,
            email_thread_id=email_thread_id,
            envelope=envelope,
            field_values=field_values,
        )


def open_ticket(
    *,
    actor: Actor,
    requester: Requester,
    subject: str,
    body: str,
    body_format: str = "text",
    source: str = Source.WEB,
    routing: Routing = Routing(),
    collaborators: Sequence[Requester] = (),
    attachments: Sequence[UploadedFile] = (),
    confirm: bool = True,
    alert: bool = True,
    follow_up_of: Ticket | None = None,
    email_thread_id: str = "",
    envelope: Envelope | None = None,
    field_values: FieldValues | None = None,
) -> Ticket:
    """Open a ticket for ``requester``, routed as ``routing`` says, then as the filter rules decide
    (``envelope``: what the email intake adds for them), with its custom ``field_values`` (checked by the
    door for their type; a requester may set only the fields requesters see). The policy decides whether ``actor`` may
    (``policy.require_open``: requesters for themselves under a public topic, within their limit of open
    tickets; agents with the create permission in the department; channels within their scope), on the
    routing the actor chose. Raises NotAllowed (RejectedByRule when a rule rejects the ticket), or ValueError
    when no department can be determined."""
    topic = routing.topic
    if not chooses_routing(actor):
        routing = Routing(topic=topic)
    department = routing.department or (topic.department if topic else None)
    if department is None:
        raise ValueError("A ticket needs a help topic or a department.")
    with transaction.atomic():
        require_open(actor, requester, department, topic)
        require_chosen_routing(
            actor, department, assignee=routing.assignee, team=routing.team, sla_plan=routing.sla_plan
        )
        require_settable(actor, field_values or {})
        # Read once: the same row gives the SLA plan below, unless a rule sends the ticket elsewhere.
        defaults = Defaults.of(department) if topic is None else None
        if defaults is not None and (topic := defaults.topic) is not None:
            # Arrived for a department without a topic: the department's own routes it as a chosen one would.
            routing = replace(routing, topic=topic)
        rendered = body_fields(body, body_format)  # read by the rules and stored
        facts = rules.facts_of(
            channel=source,
            sender=requester,
            subject=subject,
            body_text=rendered.get("body_text", ""),
            topic=topic,
            department=department,
            envelope=envelope,
        )
        decision = rules.decide_on(facts, event=RuleEvent.TICKET)
        routing = _as_decided(routing, decision)
        topic = routing.topic
        department = decision.resulting_department or department
        assignee, team = _assignment(routing, topic, department)
        pooled = None
        if assignee is None:
            # Nobody chose an agent: the team's strategy (or else the department's) may hand it out. The
            # pool's row stays locked until this commits, so two openings never take the same turn.
            pooled = next_assignee(department=department, team=team, count_open=open_ticket_counts)
            assignee = pooled.agent if pooled else None
        status = _first_status(topic, decision)
        ticket = _new_ticket(
            requester, subject, source, routing, department, assignee, team, status, defaults
        )
        ticket.email_thread_id = _thread_id(email_thread_id)
        sla_clock.start(ticket, ticket.created_at)
        if assignee is not None:
            require_assignable(assignee, ticket)
        _insert_with_unique_number(ticket)
        store_values(ticket, field_values or {})
        copied = {
            c.pk: c for c in [*collaborators, *rules.collaborators_of(decision)] if c.pk != requester.pk
        }
        Collaborator.objects.bulk_create(
            Collaborator(ticket=ticket, requester=other) for other in copied.values()
        )
        entered_by = None if opens_for_self(actor, requester) else ActorData.of(actor.actor_ref())
        created = Created(source=Source(source), entered_by=entered_by, follow_up_of=Ref.maybe(follow_up_of))
        record_event(ticket, actor, created, ticket.created_at)
        message = add_entry(
            ticket,
            actor,
            EntryKind.MESSAGE,
            ticket.created_at,
            body=body,
            body_format=body_format,
            attachments=attachments,
            author=requester,
            rendered=rendered,
        )
        rules.record_results(ticket, decision, ticket.created_at)
        confirms = confirm and (topic is None or topic.auto_response) and not decision.suppress_autoreply
        owed = [Owed("new_ticket_requester", entry=message)] if confirms else []
        if alert:
            owed.append(Owed("new_ticket_department", entry=message))
        if assignee or team:
            # The assignment is on the record either way; only its alert is what ``alert`` suppresses.
            assigned = _assigned(ticket, actor, routing, topic, decision, pooled, assignee, team)
            owed += [assigned] if alert else []
        notify(ticket, actor, *owed)
        _after_opening(ticket, decision)
    return ticket


def _as_decided(routing: Routing, decision: Decision) -> Routing:
    """The door's routing with what the rules set instead (a rule's topic brings its own department,
    priority and plan, as a topic chosen at the door does, unless a rule or the door set them)."""
    return Routing(
        topic=decision.topic or routing.topic,
        department=decision.department or routing.department,
        priority=decision.priority or routing.priority,
        sla_plan=cast(SLAPlan | None, decision.sla_plan) or routing.sla_plan,
        assignee=decision.agent or routing.assignee,
        team=decision.team or routing.team,
    )


def _first_status(topic: HelpTopic | None, decision: Decision) -> TicketStatus:
    """A rule's status when it is on the open state (one on another state is set right after opening),
    else the topic's, else the open state's default."""
    if decision.status is not None and decision.status.state == State.OPEN:
        return decision.status
    if topic is not None and topic.status is not None and topic.status.state == State.OPEN:
        return topic.status
    return TicketStatus.default_for(State.OPEN)


def _assigned(
    ticket: Ticket,
    actor: Actor,
    routing: Routing,
    topic: HelpTopic | None,
    decision: Decision,
    pooled: AutoAssignment | None,
    assignee: Agent | None,
    team: Team | None,
) -> Owed:
    """Record who assigned the new ticket: a rule (in its name), the pool's strategy, or the topic."""
    by_rule = rules.deciders(decision)
    rule = by_rule.get(ActionKind.ASSIGN_AGENT) if decision.agent else None
    rule = rule or (by_rule.get(ActionKind.ASSIGN_TEAM) if decision.team else None)
    auto = pooled is None and rule is None and topic is not None
    auto = auto and (assignee, team) != (routing.assignee, routing.team)
    assigned = Assigned(
        agent=Ref.maybe(assignee),
        team=Ref.maybe(team),
        topic=Ref.of(topic) if auto else None,
        pool=Ref.of(pooled.pool) if pooled else None,
        strategy=pooled.strategy.label if pooled else "",
    )
    event = record_event(ticket, rules.actor_of(rule) if rule else actor, assigned, ticket.created_at)
    return Owed("assigned", entry=event)


def _after_opening(ticket: Ticket, decision: Decision) -> None:
    """What the opening itself cannot carry: a rule's status on another state (a rule that closes spam),
    and its canned replies, each in the rule's name."""
    from helpline.tickets.actions.status import set_status
    from helpline.tickets.actions.thread import post_reply

    by_rule = rules.deciders(decision)
    replies = list(rules.applied(decision, ActionKind.CANNED_REPLY))
    for result, text in replies:
        post_reply(actor=rules.actor_of(result), ticket=ticket, body=str(text))
    changed = bool(replies)
    if decision.status is not None and decision.status.state != State.OPEN:
        set_status(
            actor=rules.actor_of(by_rule[ActionKind.SET_STATUS]), ticket=ticket, status=decision.status
        )
        changed = True
    if changed:
        # Those actions changed the ticket's row through a fresh copy: the caller gets the ticket as stored.
        ticket.refresh_from_db()


def _thread_id(message_id: str) -> str:
    """A Message-ID as the field keeps it; one too long to be a Message-ID (RFC 5322's line limit) roots
    nothing, rather than being cut into one that matches no email."""
    message_id = message_id.strip()
    return message_id if len(message_id) <= MAX_MESSAGE_ID_CHARS and message_id.isprintable() else ""


def _assignment(
    routing: Routing, topic: HelpTopic | None, department: Department
) -> tuple[Agent | None, Team | None]:
    assignee, team = routing.assignee, routing.team
    if (assignee is not None and not assignee.is_active) or (team is not None and not team.is_active):
        raise NotAllowed("Tickets are assigned to active agents and teams only.")
    if topic is not None:
        # A topic may still name an agent who left (or who does not work where a rule sent the ticket) or
        # a retired team: the ticket then waits unassigned.
        auto_agent, auto_team = topic.assign_to_agent, topic.assign_to_team
        usable = auto_agent is not None and works_in(auto_agent, department.pk)
        assignee = assignee or (auto_agent if usable else None)
        team = team or (auto_team if auto_team and auto_team.is_active else None)
    return assignee, team


def _new_ticket(
    requester: Requester,
    subject: str,
    source: str,
    routing: Routing,
    department: Department,
    assignee: Agent | None,
    team: Team | None,
    status: TicketStatus,
    defaults: Defaults | None,
) -> Ticket:
    topic = routing.topic
    sla_plan = routing.sla_plan or (topic.sla_plan if topic else None)
    if sla_plan is None:  # the department's plan, when nothing else gave one
        if defaults is None or defaults.department_id != department.pk:
            defaults = Defaults.of(department)
        sla_plan = cast(SLAPlan | None, defaults.sla_plan)
    priority = routing.priority or (topic and topic.priority) or Priority.default()
    now = timezone.now()
    return Ticket(
        subject=one_line(subject, 255) or "(no subject)",
        requester=requester,
        source=source,
        topic=topic,
        department=department,
        priority=priority,
        urgency=priority.urgency,
        sla_plan=sla_plan,
        assignee=assignee,
        team=team,
        status=status,
        state=State.OPEN,
        created_at=now,
        updated_at=now,
        last_message_at=now,
    )


def _insert_with_unique_number(ticket: Ticket) -> None:
    """Numbers are random, so a clash is possible (and unique under concurrency by the constraint):
    try again with a new number inside a savepoint."""
    for _ in range(NUMBER_ATTEMPTS):
        ticket.number = new_ticket_number()
        try:
            with transaction.atomic():
                TICKETS.insert(ticket)
            return
        except IntegrityError:
            if not Ticket.objects.filter(number=ticket.number).exists():
                raise
    raise RuntimeError("Could not find a free ticket number; widen HELPLINE_TICKET_NUMBER_DIGITS.")

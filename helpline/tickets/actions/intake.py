"""Opening a ticket: numbering, routing by help topic, the first message, and the alerts."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.core.text import one_line
from helpline.people.actors import Actor
from helpline.people.models import Agent, Department, Requester, Team
from helpline.routing.models import HelpTopic
from helpline.sla.models import SLAPlan
from helpline.tickets.actions.base import add_entry, notify_on_commit, record_event
from helpline.tickets.models import Collaborator, EntryKind, Event, Source, Ticket
from helpline.tickets.numbers import new_ticket_number
from helpline.tickets.policy import NotAllowed, can_open_in, require_room_for_another_ticket

NUMBER_ATTEMPTS = 10


def open_ticket(
    *,
    actor: Actor,
    requester: Requester,
    subject: str,
    body: str,
    body_format: str = "text",
    source: str = Source.WEB,
    topic: HelpTopic | None = None,
    department: Department | None = None,
    priority: Priority | None = None,
    sla_plan: SLAPlan | None = None,
    assignee: Agent | None = None,
    team: Team | None = None,
    collaborators: Sequence[Requester] = (),
    attachments: Sequence[UploadedFile] = (),
) -> Ticket:
    """Open a ticket for ``requester``. The help topic routes it (department, priority, SLA plan,
    auto-assignment); explicit arguments override the topic. A requester may only open tickets for
    themselves through an active public topic; an agent needs the create permission in the department.
    Raises NotAllowed, or ValueError when no department can be determined."""
    if isinstance(actor, Requester):
        if actor.pk != requester.pk or topic is None or not (topic.is_public and topic.is_active):
            raise NotAllowed("Requesters open tickets for themselves, under a public help topic.")
        require_room_for_another_ticket(requester)
        department = priority = sla_plan = assignee = team = None  # routing is the topic's alone
    department = department or (topic.department if topic else None)
    if department is None:
        raise ValueError("A ticket needs a help topic or a department.")
    if not can_open_in(actor, department):
        raise NotAllowed(f"{actor} may not open tickets in {department}.")
    if (assignee is not None and not assignee.is_active) or (team is not None and not team.is_active):
        raise NotAllowed("Tickets are assigned to active agents and teams only.")
    if topic is not None:
        # A topic may still name an agent who left or a retired team: the ticket then waits unassigned.
        auto_agent, auto_team = topic.assign_to_agent, topic.assign_to_team
        assignee = assignee or (auto_agent if auto_agent and auto_agent.is_active else None)
        team = team or (auto_team if auto_team and auto_team.is_active else None)
    sla_plan = sla_plan or (topic.sla_plan if topic else None)
    now = timezone.now()
    priority = priority or (topic and topic.priority) or Priority.default()
    ticket = Ticket(
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
        status=TicketStatus.default_for(State.OPEN),
        state=State.OPEN,
        due_at=sla_plan.due_from(now) if sla_plan else None,
        created_at=now,
        updated_at=now,
        last_message_at=now,
    )
    with transaction.atomic():
        _insert_with_unique_number(ticket)
        for other in {c.pk: c for c in collaborators if c.pk != requester.pk}.values():
            Collaborator.objects.create(ticket=ticket, requester=other)
        entered_by = None if isinstance(actor, Requester) else str(actor)
        record_event(ticket, actor, Event.CREATED, now, source=source, entered_by=entered_by)
        add_entry(
            ticket,
            actor,
            EntryKind.MESSAGE,
            now,
            body=body,
            body_format=body_format,
            attachments=attachments,
            author=requester,
        )
        if assignee or team:
            record_event(
                ticket,
                actor,
                Event.ASSIGNED,
                now,
                agent=assignee and str(assignee),
                team=team and str(team),
                auto=True,
            )
        notify_on_commit("new_ticket_requester", ticket, actor=actor)
        notify_on_commit("new_ticket_department", ticket, actor=actor)
        if assignee or team:
            notify_on_commit("assigned", ticket, actor=actor)
    return ticket


def _insert_with_unique_number(ticket: Ticket) -> None:
    """Numbers are random, so a clash is possible (and unique under concurrency by the constraint):
    try again with a new number inside a savepoint."""
    for _ in range(NUMBER_ATTEMPTS):
        ticket.number = new_ticket_number()
        try:
            with transaction.atomic():
                ticket.save(force_insert=True)
            return
        except IntegrityError:
            if not Ticket.objects.filter(number=ticket.number).exists():
                raise
    raise RuntimeError("Could not find a free ticket number; widen HELPLINE_TICKET_NUMBER_DIGITS.")

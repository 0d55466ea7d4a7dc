"""The ticket page: properties, the full thread, and the forms the agent may use on it."""

from collections import defaultdict
from collections.abc import Callable
from functools import cache
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from helpline.catalog.models import State, TicketStatus
from helpline.core.prepared import PreparedQuery
from helpline.mail.bounces import held
from helpline.people.access import agents_working_in
from helpline.people.models import Agent, Requester
from helpline.people.permissions import Perm
from helpline.staff.choices import freeze_choices
from helpline.staff.forms import (
    AssignForm,
    CollaboratorForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    SLAPlanForm,
    StatusForm,
    TransferForm,
)
from helpline.staff.link_forms import link_forms
from helpline.staff.related import related_tickets
from helpline.staff.task_forms import tasks_context
from helpline.staff.ticket_fields import custom_fields_context
from helpline.staff.views.base import AgentRequest, agent_required, visible_ticket_or_404
from helpline.staff.views.canned_picker import canned_context
from helpline.staff.views.collaboration import collaboration_context
from helpline.tickets.merged import merged_number_target
from helpline.tickets.models import Attachment, ThreadEntry, Ticket
from helpline.tickets.policy import can, can_claim, perm_for_status, reads_internal
from helpline.tickets.queries import thread_for
from helpline.tickets.related import OTHER_TICKETS_SHOWN, requester_other_tickets

# A form of the page to show again: its name, and what was posted (None: show the current values).
Resubmitted = tuple[str, QueryDict | None]

# The permission each form's action checks, so a form is shown only to agents it can serve.
FORM_PERMS = {
    "reply": Perm.REPLY,
    "note": Perm.NOTE,
    "assign": Perm.ASSIGN,
    "transfer": Perm.TRANSFER,
    "priority": Perm.STATUS,
    "sla": Perm.EDIT,
    "cc": Perm.EDIT,
    "delete": Perm.DELETE,
}


def offered_statuses(allowed: dict[str, bool]) -> QuerySet[TicketStatus]:
    """The statuses worth offering: those whose permission (policy.perm_for_status) the agent holds; the
    actions remain the judge."""
    return TicketStatus.objects.filter(
        state__in=[state for state in State if allowed[perm_for_status(state)]]
    )


def offered_agents(ticket: Ticket) -> list[Agent]:
    """Agents who may work the ticket's department, and its current assignee (who may have stayed with it
    through a transfer) so the form shows who has it."""
    agents = {agent.pk: agent for agent in agents_working_in(ticket.department)}
    if ticket.assignee is not None:
        agents.setdefault(ticket.assignee.pk, ticket.assignee)
    return sorted(agents.values(), key=lambda agent: agent.display_name.lower())


def current_values(ticket: Ticket) -> dict[str, dict[str, int | None]]:
    """What the property forms show: the ticket as it stands."""
    return {
        "assign": {"agent": ticket.assignee_id, "team": ticket.team_id},
        "transfer": {"department": ticket.department_id},
        "priority": {"priority": ticket.priority_id},
        "sla": {"sla_plan": ticket.sla_plan_id},
        "status": {"status": ticket.status_id},
    }


def ticket_forms(
    ticket: Ticket,
    allowed: dict[str, bool],
    visible: dict[str, bool],
    seen: int,
    again: Resubmitted | None = None,
    agents: Callable[[], list[Agent]] | None = None,
) -> dict[str, forms.Form]:
    """The forms the agent is shown (``visible``), and only those: each costs queries (its choices, the
    agents who may be assigned). Each shows the current values and carries the ticket's version and the
    newest entry shown (``seen``). ``again``: one form shown again, bound (to show why it was refused) to
    what was posted, or to the current values when ``None`` was."""
    statuses = offered_statuses(allowed)
    agents = agents or (lambda: offered_agents(ticket))
    makers: dict[str, Callable[..., forms.Form]] = {
        "reply": lambda **kwargs: ReplyForm(statuses=statuses, **kwargs),
        "note": NoteForm,
        "assign": lambda **kwargs: AssignForm(offered=agents(), **kwargs),
        "transfer": TransferForm,
        "priority": PriorityForm,
        "sla": SLAPlanForm,
        "status": lambda **kwargs: StatusForm(statuses=statuses, **kwargs),
        "cc": CollaboratorForm,
    }
    marker = {"version": ticket.version, "seen": seen}
    current = current_values(ticket)
    initial = {name: {**current.get(name, {}), **marker} for name in makers}
    shown = {name: make(initial=initial[name]) for name, make in makers.items() if visible.get(name)}
    freeze_choices(shown)
    if again is not None and again[0] in makers:
        name, posted = again
        data: Any = posted.copy() if posted is not None else QueryDict(mutable=True)
        values = {**current.get(name, {}), **marker} if posted is None else marker
        for field, value in values.items():
            data[field] = "" if value is None else str(value)  # replaces what was posted
        shown[name] = makers[name](data=data, initial=initial[name])
    return shown


# An agent's thread (every entry) and its files: compiled once (core.prepared).
_ENTRIES = PreparedQuery(lambda ticket_id: ThreadEntry.objects.filter(ticket_id=ticket_id))
_FILES = PreparedQuery(lambda ticket_id: Attachment.objects.filter(entry__ticket_id=ticket_id).order_by("pk"))
_COLLABORATORS = PreparedQuery(lambda ticket_id: Requester.objects.filter(collaborating_on=ticket_id))


def thread_entries(agent: Agent, ticket: Ticket) -> list[ThreadEntry]:
    """The thread as the page shows it: each entry's files as a plain list (``files``), and no author rows
    (the entry keeps the author's name). Two queries, whatever the number of entries."""
    if not reads_internal(agent):  # the rule of thread_for, which agents never meet
        files = Prefetch("attachments", queryset=Attachment.objects.order_by("pk"), to_attr="files")
        return list(
            thread_for(agent, ticket).select_related(None).prefetch_related(None).prefetch_related(files)
        )
    entries = _ENTRIES.objects(ticket.pk)
    attached: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in _FILES.objects(ticket.pk) if entries else ():
        attached[attachment.entry_id].append(attachment)
    for entry in entries:
        entry.files = attached.get(entry.pk, [])
    return entries


def collaborators_of(ticket: Ticket) -> list[Requester]:
    return _COLLABORATORS.objects(ticket.pk)


def ticket_context(
    agent: Agent, ticket: Ticket, bound: dict[str, forms.Form], again: Resubmitted | None = None
) -> dict:
    allowed = {perm.value: can(agent, perm, ticket) for perm in Perm}
    shown = {name: allowed[perm] for name, perm in FORM_PERMS.items()}
    shown["status"] = any(allowed[perm_for_status(state)] for state in State)
    shown["claim"] = can_claim(agent, ticket)
    shown["link"] = allowed[Perm.EDIT]
    entries = thread_entries(agent, ticket)
    # The newest entry the page shows: the forms carry it (what arrived since), and the poll for new
    # entries asks for those after it.
    seen = max((entry.pk for entry in entries), default=0)
    agents = cache(lambda: offered_agents(ticket))  # the assignment and the task forms offer the same
    return {
        "ticket": ticket,
        "entries": entries,
        "seen": seen,
        "last_entry_id": seen,
        "related": related_tickets(agent, ticket),
        "collaborators": collaborators_of(ticket),
        "other_tickets": requester_other_tickets(agent, ticket),
        "other_tickets_shown": OTHER_TICKETS_SHOWN,
        "shown": shown,
        "held_back": held(ticket.requester.email),
        "forms": ticket_forms(ticket, allowed, shown, seen, again, agents) | link_forms(entries) | bound,
        "offered_agents": agents,
        "now": timezone.now(),
        **collaboration_context(agent, ticket),
    }


def render_ticket(
    request: AgentRequest,
    ticket: Ticket,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
    extra: dict | None = None,
) -> HttpResponse:
    """The ticket page; ``bound`` replaces the blank forms by submitted ones, to show their errors."""
    context = ticket_context(request.agent, ticket, bound or {}) | (extra or {})
    if "reply" in context["forms"]:
        context |= canned_context(request, request.agent, ticket, context["forms"]["reply"])
    context |= tasks_context(request.agent, ticket, (bound or {}).get("task"), context["offered_agents"])
    context |= custom_fields_context(request.agent, ticket, (bound or {}).get("fields"))
    return render(request, "staff/ticket.html", context, status=status)


def render_print(request: AgentRequest, ticket: Ticket) -> HttpResponse:
    """The thread and the properties to print: no forms (none is built), every entry the agent may read."""
    agent = request.agent
    context = {
        "ticket": ticket,
        "entries": thread_entries(agent, ticket),
        "collaborators": collaborators_of(ticket),
        "shown": {},
        "now": timezone.now(),
    }
    return render(request, "staff/ticket_print.html", context)


def merged_redirect(request: AgentRequest, number: str) -> HttpResponseRedirect:
    """A merged ticket's number leads to the ticket it was merged into (whether or not the agent could see
    the merged one); a number that leads nowhere the agent may look is not found."""
    target = merged_number_target(number)
    if target is None:
        raise Http404
    return redirect("staff:ticket", visible_ticket_or_404(request.agent, target.number).number)


@require_GET
@agent_required
def ticket_detail(request: AgentRequest, number: str) -> HttpResponse:
    try:
        ticket = visible_ticket_or_404(request.agent, number)
    except Http404:
        return merged_redirect(request, number)
    if ticket.merged_into_id is not None:
        return merged_redirect(request, number)
    show = render_print if "print" in request.GET else render_ticket
    response = show(request, ticket)
    if request.GET.get("images"):
        # The agent chose to load one entry's images from other sites: this page may show https images.
        images = cast("list[str]", settings.SECURE_CSP["img-src"])
        config = {**settings.SECURE_CSP, "img-src": [*images, "https:"]}
        response._csp_config = config  # type: ignore[attr-defined]  # read by Django's CSP middleware
    return response

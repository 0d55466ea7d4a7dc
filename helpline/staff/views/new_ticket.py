"""Opening a ticket on a requester's behalf (phone call, walk-in, forwarded email)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from helpline.core.whole_numbers import whole_number
from helpline.custom_fields.doors import refilled, topic_fields_attrs
from helpline.custom_fields.values import FieldsForm
from helpline.people.access import departments_with
from helpline.people.models import Agent, Department
from helpline.people.permissions import Perm
from helpline.people.requesters import Contact
from helpline.routing.custom_forms import topic_fields
from helpline.routing.models import HelpTopic
from helpline.staff.forms import NewTicketForm
from helpline.staff.views.base import AgentRequest, agent_required, forbidden
from helpline.tickets.actions import RejectedByRule, Routing, receive_ticket
from helpline.tickets.models import Ticket

NO_DEPARTMENT = "Your roles open tickets in no department: an administrator can give you a role that does."


def creatable_departments(agent: Agent) -> QuerySet[Department]:
    """Where the agent may open tickets: every active department for administrators."""
    departments = Department.objects.filter(is_active=True)
    if agent.is_administrator:
        return departments
    return departments.filter(pk__in=departments_with(agent, Perm.CREATE))


def primary_department(agent: Agent) -> int | None:
    """The agent's own department (``Membership.is_primary``): the form's department until they choose
    another. Offered only where they may open tickets (the form's choices say so)."""
    primary = agent.memberships.filter(is_primary=True, department__is_active=True)
    return primary.values_list("department_id", flat=True).first()


def chosen_topic(data, departments: QuerySet[Department]) -> int | None:
    """The id of the topic named in ``data`` if the agent may open tickets under it, else None."""
    if (topic_id := whole_number(data.get("topic", ""))) is None:
        return None
    topics = HelpTopic.objects.filter(pk=topic_id, is_active=True, department__in=departments)
    return topics.values_list("pk", flat=True).first()


def fields_form(data, departments: QuerySet[Department], *, bound: bool) -> FieldsForm:
    """Every field of the chosen topic (internal ones too: agents see them): bound to ``data``, or
    refilled from it when the page is shown again for another topic."""
    fields = topic_fields(chosen_topic(data, departments), requester=False)
    if bound:
        return FieldsForm(data, custom_fields=fields)
    return refilled(FieldsForm, data, custom_fields=fields)  # type: ignore[return-value]


@require_GET
@agent_required
def ticket_new_fields(request: AgentRequest) -> HttpResponse:
    """The chosen topic's fields, swapped into the page (htmx) when the topic changes."""
    departments = creatable_departments(request.agent)
    if not departments.exists():
        return forbidden(request, NO_DEPARTMENT)
    form = fields_form(request.GET, departments, bound=False)
    return render(request, "custom_fields/_fields.html", {"fields_form": form})


def open_for_requester(agent: Agent, data: dict, values: dict) -> Ticket:
    return receive_ticket(
        sender=Contact(email=data["email"], name=data["name"], phone=data["phone"]),
        channel=data["source"],
        subject=data["subject"],
        body=data["body"],
        attachments=data["attachments"],
        cc=[Contact(email=address) for address in data["cc"]],
        routing=Routing(
            topic=data["topic"],
            department=data["department"],
            priority=data["priority"],
            assignee=agent if data["assign_to_me"] else None,
        ),
        entered_by=agent,
        field_values=values,
    )


@require_http_methods(["GET", "POST"])
@agent_required
def ticket_new(request: AgentRequest) -> HttpResponse:
    departments = creatable_departments(request.agent)
    if not departments.exists():
        return forbidden(request, NO_DEPARTMENT)
    if request.method != "POST":
        primary = primary_department(request.agent)
        form = NewTicketForm(
            departments=departments, initial={"department": primary, "department_preset": primary}
        )
        fields = fields_form({}, departments, bound=False)
        return _page(request, form, fields)
    if "show_fields" in request.POST:
        # Without JavaScript, a changed topic is posted to show its fields: the page again, as typed.
        shown = refilled(NewTicketForm, request.POST, departments=departments)
        return _page(request, shown, fields_form(request.POST, departments, bound=False))
    form = NewTicketForm(request.POST, request.FILES, departments=departments)
    fields = fields_form(request.POST, departments, bound=True)
    if form.is_valid() & fields.is_valid():  # both checked, so every error shows at once
        try:
            ticket = open_for_requester(request.agent, form.cleaned_data, fields.values())
        except ValidationError as error:
            form.add_error(None, error)
        except RejectedByRule as refusal:
            reply = f" Its reply to the requester: “{refusal.reply}”" if refusal.reply else ""
            form.add_error(None, f"The filter rule {refusal.rule_name} rejects this ticket.{reply}")
        else:
            messages.success(request, f"Ticket #{ticket.number} opened for {ticket.requester.name}.")
            return redirect("staff:ticket", ticket.number)
    return _page(request, form, fields, status=400)


def _page(request: AgentRequest, form, fields: FieldsForm, status: int = 200) -> HttpResponse:
    form.fields["topic"].widget.attrs.update(topic_fields_attrs(reverse("staff:ticket_new_fields")))
    return render(request, "staff/ticket_new.html", {"form": form, "fields_form": fields}, status=status)

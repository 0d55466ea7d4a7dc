"""Opening a ticket on a requester's behalf (phone call, walk-in, forwarded email)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from helpline.people.access import departments_with
from helpline.people.models import Agent, Department
from helpline.people.permissions import Perm
from helpline.people.requesters import Contact
from helpline.staff.forms import NewTicketForm
from helpline.staff.views.base import AgentRequest, agent_required
from helpline.tickets.actions import RejectedByRule, Routing, receive_ticket
from helpline.tickets.models import Ticket


def creatable_departments(agent: Agent) -> QuerySet[Department]:
    """Where the agent may open tickets: every active department for administrators."""
    departments = Department.objects.filter(is_active=True)
    if agent.is_administrator:
        return departments
    return departments.filter(pk__in=departments_with(agent, Perm.CREATE))


def open_for_requester(agent: Agent, data: dict) -> Ticket:
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
    )


@require_http_methods(["GET", "POST"])
@agent_required
def ticket_new(request: AgentRequest) -> HttpResponse:
    departments = creatable_departments(request.agent)
    if request.method != "POST":
        form = NewTicketForm(departments=departments)
        return render(request, "staff/ticket_new.html", {"form": form})
    form = NewTicketForm(request.POST, request.FILES, departments=departments)
    if form.is_valid():
        try:
            ticket = open_for_requester(request.agent, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except RejectedByRule as refusal:
            reply = f" Its reply to the requester: “{refusal.reply}”" if refusal.reply else ""
            form.add_error(None, f"The filter rule {refusal.rule_name} rejects this ticket.{reply}")
        else:
            messages.success(request, f"Ticket #{ticket.number} opened for {ticket.requester.name}.")
            return redirect("staff:ticket", ticket.number)
    return render(request, "staff/ticket_new.html", {"form": form}, status=400)

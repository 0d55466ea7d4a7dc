"""Changing a ticket's custom field values from its page."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from helpline.custom_fields.values import FieldsForm
from helpline.staff.ticket_fields import FORM_IDS, editable_fields
from helpline.staff.views.base import AgentRequest, agent_required, visible_ticket_or_404
from helpline.staff.views.ticket import render_ticket
from helpline.tickets.actions import set_field_values


@require_POST
@agent_required
def ticket_fields(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)
    form = FieldsForm(request.POST, custom_fields=editable_fields(ticket), auto_id=FORM_IDS)
    if not form.is_valid():
        return render_ticket(request, ticket, {"fields": form}, status=400)
    set_field_values(actor=request.agent, ticket=ticket, values=form.values())
    messages.success(request, "Fields saved.")
    return redirect("staff:ticket", ticket.number)

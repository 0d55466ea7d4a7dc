"""The dashboard, where an agent lands after signing in: a few bounded blocks about their own work."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from helpline.staff.views.base import AgentRequest, agent_required
from helpline.tickets.dashboard import (
    DASHBOARD_ROWS,
    awaiting_reply,
    my_open_tickets,
    overdue_for,
    recent_activity,
)


def dashboard_context(request: AgentRequest) -> dict:
    """One entry per block (each ``staff/dashboard/_<name>.html``, included by one line); a block's
    list holds one row more than it shows when there are more."""
    agent = request.agent
    return {
        "rows": DASHBOARD_ROWS,
        "now": timezone.now(),
        "my_open": my_open_tickets(agent),
        "overdue": overdue_for(agent),
        "awaiting": awaiting_reply(agent),
        "activity": recent_activity(agent),
    }


@require_GET
@agent_required
def dashboard(request: AgentRequest) -> HttpResponse:
    return render(request, "staff/dashboard.html", dashboard_context(request))

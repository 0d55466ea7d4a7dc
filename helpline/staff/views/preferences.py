"""The agent's own preferences: the time zone the staff panel shows times in, and their availability for
automatic assignment (away, vacation)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from helpline.core.timefmt import activate_zone
from helpline.people.preferences import Availability, set_availability, set_time_zone
from helpline.staff.forms import PreferencesForm
from helpline.staff.views.base import AgentRequest, agent_required


def _page(request: AgentRequest, form: PreferencesForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "now": timezone.now(), "limit": request.agent.open_ticket_limit}
    return render(request, "staff/preferences.html", context, status=status)


@require_http_methods(["GET", "POST"])
@agent_required
def preferences(request: AgentRequest) -> HttpResponse:
    agent = request.agent
    if request.method != "POST":
        initial = {"time_zone": agent.time_zone} | PreferencesForm.initial_of(Availability.of(agent))
        return _page(request, PreferencesForm(initial=initial))
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    set_time_zone(agent, form.cleaned_data["time_zone"])
    set_availability(agent, form.availability())
    activate_zone(agent.time_zone)  # the confirmation already speaks the new zone
    messages.success(
        request, f"Preferences saved. Times are shown in {timezone.get_current_timezone_name()}."
    )
    return redirect("staff:preferences")

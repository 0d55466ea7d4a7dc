"""The agent's own preferences: the time zone the staff panel shows times in."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from helpline.core.timefmt import activate_zone
from helpline.people.preferences import set_time_zone
from helpline.staff.forms import PreferencesForm
from helpline.staff.views.base import AgentRequest, agent_required


@require_http_methods(["GET", "POST"])
@agent_required
def preferences(request: AgentRequest) -> HttpResponse:
    agent = request.agent
    if request.method != "POST":
        form = PreferencesForm(initial={"time_zone": agent.time_zone})
        return render(request, "staff/preferences.html", {"form": form, "now": timezone.now()})
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return render(request, "staff/preferences.html", {"form": form, "now": timezone.now()}, status=400)
    set_time_zone(agent, form.cleaned_data["time_zone"])
    activate_zone(agent.time_zone)  # the confirmation already speaks the new zone
    messages.success(
        request, f"Preferences saved. Times are shown in {timezone.get_current_timezone_name()}."
    )
    return redirect("staff:preferences")

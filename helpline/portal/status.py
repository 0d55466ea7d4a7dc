"""The portal's "Check a ticket's status" page: a requester who lost the email with their private link
asks for it again with their address and the ticket's number.

The page answers the same whether or not the two match, and does the same work: it spends one of the
client address's HELPLINE_PORTAL_LOOKUPS_PER_HOUR and hands both to the task queue, which finds out and
emails the link to that address only (``portal.lookup``). Nobody learns here who is on which ticket.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from helpline.core import throttle
from helpline.core.client_ip import client_ip
from helpline.portal.forms import TicketLookupForm
from helpline.portal.tasks import email_access_link

LOOKUPS_SCOPE = "portal.ticket-lookup"


@require_http_methods(["GET", "POST"])
def status_view(request: HttpRequest) -> HttpResponseBase:
    form = TicketLookupForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return render(request, "portal/status.html", {"form": form})
    wait = throttle.take(
        LOOKUPS_SCOPE,
        throttle.address_key(client_ip(request)),
        limit=settings.HELPLINE_PORTAL_LOOKUPS_PER_HOUR,
        period=timedelta(hours=1),
    )
    if wait is not None:
        return _refused(request, form, wait)
    email, number = form.cleaned_data["email"], form.cleaned_data["number"]
    transaction.on_commit(lambda: email_access_link(email, number))
    # Redirect, so a reload does not ask again; the page after it is the same for everyone.
    return redirect("portal:status_sent")


def _refused(request: HttpRequest, form: TicketLookupForm, wait: timedelta) -> HttpResponse:
    refusal = (
        "Many status checks were made from your network in the last hour. "
        f"Try again in {throttle.in_minutes(wait)}: what you typed is kept."
    )
    response = render(request, "portal/status.html", {"form": form, "refusal": refusal}, status=429)
    response["Retry-After"] = str(max(1, round(wait.total_seconds())))
    return response


@require_safe
def status_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/status_sent.html")

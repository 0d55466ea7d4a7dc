"""Banned senders: addresses and @domains whose mail is refused (and kept, with that reason)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.email_channel.changes import Conflict, ban_sender, unban_sender
from helpline.admin_panel.email_channel.forms import BannedAddressForm, BannedFilterForm
from helpline.admin_panel.sections import SECTIONS
from helpline.core.pagination import keyset_page
from helpline.inbound.models import BannedAddress

PAGE_SIZE = 100


def _list_page(request: AdministratorRequest, form: BannedAddressForm, status: int = 200) -> HttpResponse:
    filters = BannedFilterForm(request.GET or None)
    query = filters.cleaned_data.get("q", "").strip() if filters.is_valid() else ""
    banned = BannedAddress.objects.all()
    if query:
        banned = banned.filter(pattern__icontains=query)
    result = keyset_page(
        banned, field="pattern", descending=False, cursor=request.GET.get("after"), size=PAGE_SIZE
    )
    next_url = ""
    if result.next_cursor:
        next_url = (
            f"{request.path}?{urlencode(({'q': query} if query else {}) | {'after': result.next_cursor})}"
        )
    context = {
        "form": form,
        "filters": filters,
        "banned": result.rows,
        "next_url": next_url,
        "query": query,
        "section": "banned",
        "sections": SECTIONS,
    }
    return render(request, "admin_panel/banned.html", context, status=status)


@require_GET
@administrator_required
def banned_list(request: AdministratorRequest) -> HttpResponse:
    return _list_page(request, BannedAddressForm())


@require_POST
@administrator_required
def banned_add(request: AdministratorRequest) -> HttpResponse:
    form = BannedAddressForm(request.POST)
    if form.is_valid():
        pattern = form.cleaned_data["pattern"]
        try:
            ban_sender(actor=request.agent, pattern=pattern, reason=form.cleaned_data["reason"])
        except Conflict as conflict:
            form.add_error("pattern", str(conflict))
        else:
            messages.success(request, f"Mail from {pattern} is refused from now on.")
            return redirect("admin_panel:banned")
    return _list_page(request, form, status=400)


@require_POST
@administrator_required
def banned_remove(request: AdministratorRequest, pk: int) -> HttpResponse:
    removed = unban_sender(actor=request.agent, banned_id=pk)
    if removed is None:
        messages.info(request, "That ban was removed already.")
    else:
        messages.success(request, f"Mail from {removed.pattern} is accepted again.")
    return redirect("admin_panel:banned")

"""The administration area's pages: its index and the audit log."""

from datetime import datetime, time, timedelta

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.forms import AuditFilterForm
from helpline.admin_panel.sections import SECTIONS
from helpline.audit.models import AuditEntry
from helpline.core.pagination import keyset_page

PAGE_SIZE = 50


@require_GET
@administrator_required
def index(request: AdministratorRequest) -> HttpResponse:
    return render(request, "admin_panel/index.html", {"sections": SECTIONS, "section": None})


def filtered_entries(data: dict) -> QuerySet[AuditEntry]:
    """The entries the valid filter asks for; each filter reads an index of its own."""
    entries = AuditEntry.objects.all()
    if data.get("action"):
        entries = entries.filter(action=data["action"])
    if data.get("target"):
        entries = entries.filter(target_id=data["target"].strip().lstrip("#"))
    zone = timezone.get_current_timezone()
    if data.get("since"):
        entries = entries.filter(at__gte=datetime.combine(data["since"], time.min, zone))
    if data.get("until"):
        entries = entries.filter(at__lt=datetime.combine(data["until"] + timedelta(days=1), time.min, zone))
    return entries


@require_GET
@administrator_required
def audit_log(request: AdministratorRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    page = keyset_page(
        filtered_entries(data) if valid else AuditEntry.objects.none(),
        field="at",
        descending=True,
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    query: dict[str, str] = {
        key: str(value) for key, value in request.GET.items() if key != "after" and value
    }
    next_url = f"{request.path}?{urlencode(query | {'after': page.next_cursor})}" if page.next_cursor else ""
    context = {
        "form": form,
        "entries": page.rows,
        "next_url": next_url,
        "section": "audit",
        "sections": SECTIONS,
    }
    return render(request, "admin_panel/audit_log.html", context, status=200 if valid else 400)

"""The requesters' pages: the list with its search, the form that creates and edits one, the merge."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.requesters.forms import MergeForm, RequesterForm, organization_named
from helpline.admin_panel.sections import SECTIONS
from helpline.core.pagination import keyset_page
from helpline.people.changes import save_requester
from helpline.people.models import Organization, Requester
from helpline.people.requesters import requesters_by_email
from helpline.tickets.actions import merge_requesters

SECTION = "requesters"
PAGE_SIZE = 50
MAX_QUERY = 200


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": SECTION, "sections": SECTIONS}, status=status)


def matching(text: str, organization: Organization | None) -> QuerySet[Requester]:
    """The requesters the search asks for, each kind read through an index: an address (``@``) exactly, as
    their own or an extra one; anything else as the start of the name, in any letter case."""
    rows = Requester.objects.select_related("organization")
    if organization is not None:
        rows = rows.filter(organization=organization)
    if "@" in text:
        return rows.filter(pk__in=requesters_by_email(text).values("pk"))
    if text:
        start = text.lower()
        # The range lets the index on Lower("name") seek; startswith keeps the exact meaning.
        rows = rows.annotate(lname=Lower("name")).filter(
            lname__gte=start, lname__lt=start + "\U0010ffff", lname__startswith=start
        )
    return rows


@require_GET
@administrator_required
def requester_list(request: AdministratorRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:MAX_QUERY]
    org_name = request.GET.get("organization", "").strip()[:MAX_QUERY]
    organization = organization_named(org_name) if org_name else None
    unknown_org = bool(org_name) and organization is None
    rows = Requester.objects.none() if unknown_org else matching(text, organization)
    found = keyset_page(rows, field="name", descending=False, cursor=request.GET.get("after"), size=PAGE_SIZE)
    query = {key: value for key, value in (("q", text), ("organization", org_name)) if value}
    next_url = (
        f"{request.path}?{urlencode(query | {'after': found.next_cursor})}" if found.next_cursor else ""
    )
    context = {
        "requesters": found.rows,
        "next_url": next_url,
        "q": text,
        "organization": org_name,
        "unknown_org": unknown_org,
        "searching": bool(query),
    }
    return page(request, "admin_panel/requesters.html", context)


@require_http_methods(["GET", "POST"])
@administrator_required
def requester_new(request: AdministratorRequest) -> HttpResponse:
    return _form(request, Requester())


@require_http_methods(["GET", "POST"])
@administrator_required
def requester_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    requester = get_object_or_404(Requester.objects.select_related("organization"), pk=pk)
    return _form(request, requester)


def _form(request: AdministratorRequest, requester: Requester) -> HttpResponse:
    creating = requester.pk is None
    context = {"requester_pk": requester.pk, "requester_name": requester.name}
    if requester.pk:
        context["extra_addresses"] = list(requester.extra_addresses.order_by("pk")[:20])
    if request.method != "POST":
        return page(
            request, "admin_panel/requester_form.html", context | {"form": RequesterForm(instance=requester)}
        )
    form = RequesterForm(request.POST, instance=requester)
    if form.is_valid():
        try:
            changed = save_requester(actor=request.agent, requester=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Requester “{form.instance.name}” {done}.")
            return redirect("admin_panel:requesters")
    return page(request, "admin_panel/requester_form.html", context | {"form": form}, status=400)


@require_http_methods(["GET", "POST"])
@administrator_required
def requester_merge(request: AdministratorRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Requester, pk=pk)
    form = MergeForm(request.POST if request.method == "POST" else None, source=source)
    context = {"source": source, "form": form}
    if request.method != "POST":
        return page(request, "admin_panel/requester_merge.html", context)
    if not form.is_valid():
        return page(request, "admin_panel/requester_merge.html", context, status=400)
    target = form.cleaned_data["into"]
    moved = merge_requesters(actor=request.agent, source=source, target=target)
    messages.success(
        request,
        f"{source.name} merged into {target.name}: {moved.tickets} tickets, {moved.collaborations} "
        f"collaborations and {moved.entries} messages moved; {source.email} is now an address of {target.name}.",
    )
    return redirect("admin_panel:requester_edit", pk=target.pk)

"""The organizations' pages: the list, the form that creates and renames one, with its requesters."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.requesters.forms import OrganizationForm
from helpline.admin_panel.sections import SECTIONS
from helpline.core.pagination import keyset_page
from helpline.people.changes import save_organization
from helpline.people.models import Organization, Requester

SECTION = "organizations"
PAGE_SIZE = 50
# The organization's page shows its first requesters; the requester list shows them all, page by page.
SHOWN_REQUESTERS = 20


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": SECTION, "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def organization_list(request: AdministratorRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:200]
    rows = Organization.objects.all()
    if text:
        start = text.lower()
        # The range lets the index on Lower("name") seek; startswith keeps the exact meaning.
        rows = rows.annotate(lname=Lower("name")).filter(
            lname__gte=start, lname__lt=start + "\U0010ffff", lname__startswith=start
        )
    found = keyset_page(rows, field="name", descending=False, cursor=request.GET.get("after"), size=PAGE_SIZE)
    query = {"q": text} if text else {}
    next_url = (
        f"{request.path}?{urlencode(query | {'after': found.next_cursor})}" if found.next_cursor else ""
    )
    context = {"organizations": found.rows, "next_url": next_url, "q": text}
    return page(request, "admin_panel/organizations.html", context)


@require_http_methods(["GET", "POST"])
@administrator_required
def organization_new(request: AdministratorRequest) -> HttpResponse:
    return _form(request, Organization())


@require_http_methods(["GET", "POST"])
@administrator_required
def organization_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _form(request, get_object_or_404(Organization, pk=pk))


def _form(request: AdministratorRequest, organization: Organization) -> HttpResponse:
    creating = organization.pk is None
    context: dict = {"organization_pk": organization.pk, "organization_name": organization.name}
    if organization.pk:
        members = Requester.objects.filter(organization=organization).order_by("name", "pk")
        context["members"] = list(members[: SHOWN_REQUESTERS + 1])
    if request.method != "POST":
        form = OrganizationForm(instance=organization)
        return page(request, "admin_panel/organization_form.html", context | {"form": form})
    form = OrganizationForm(request.POST, instance=organization)
    if form.is_valid():
        try:
            changed = save_organization(actor=request.agent, organization=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Organization “{form.instance.name}” {done}.")
            return redirect("admin_panel:organizations")
    return page(request, "admin_panel/organization_form.html", context | {"form": form}, status=400)

"""Roles: the list (with how many memberships give each), the form that creates and edits one, deletion
of a role nobody holds."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.roles.changes import Conflict, Refused, delete_role, save_role
from helpline.admin_panel.roles.forms import RoleForm
from helpline.admin_panel.sections import SECTIONS
from helpline.people.models import Role
from helpline.people.permissions import Perm

SECTION = "roles"


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": SECTION, "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def role_list(request: AdministratorRequest) -> HttpResponse:
    roles = Role.objects.annotate(held=Count("membership")).order_by("name")
    rows = [(role, [Perm(code).label for code in Perm.values if code in role.grants()]) for role in roles]
    return page(request, "admin_panel/roles.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@administrator_required
def role_new(request: AdministratorRequest) -> HttpResponse:
    return _form(request, Role())


@require_http_methods(["GET", "POST"])
@administrator_required
def role_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _form(request, get_object_or_404(Role, pk=pk))


def _form(request: AdministratorRequest, role: Role) -> HttpResponse:
    creating = role.pk is None
    context = {"role_pk": role.pk, "role_name": role.name}
    if request.method != "POST":
        return page(request, "admin_panel/role_form.html", context | {"form": RoleForm(instance=role)})
    form = RoleForm(request.POST, instance=role)
    if form.is_valid():
        try:
            changed = save_role(actor=request.agent, role=form.instance)
        except Conflict:
            form.add_error("name", "Another role with this name was saved at the same moment.")
        else:
            done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Role “{form.instance.name}” {done}.")
            return redirect("admin_panel:roles")
    return page(request, "admin_panel/role_form.html", context | {"form": form}, status=400)


@require_POST
@administrator_required
def role_delete(request: AdministratorRequest, pk: int) -> HttpResponse:
    try:
        name = delete_role(actor=request.agent, role_id=pk)
    except Role.DoesNotExist as missing:
        raise Http404("No such role") from missing
    except Refused as refusal:
        messages.error(request, f"The role stays. {refusal}")
        return redirect("admin_panel:role_edit", pk)
    messages.success(request, f"Role “{name}” deleted.")
    return redirect("admin_panel:roles")

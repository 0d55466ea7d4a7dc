"""Departments: the list, the form that creates and edits one (name, manager, addresses, active). A
department is never deleted: its tickets and their history point at it; it is deactivated instead."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.organisation.changes import Conflict, Refused, save_department
from helpline.admin_panel.organisation.forms import DepartmentForm
from helpline.admin_panel.sections import SECTIONS
from helpline.people.models import Department

SECTION = "departments"


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": SECTION, "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def department_list(request: AdministratorRequest) -> HttpResponse:
    departments = Department.objects.select_related("manager__user").order_by("name")
    return page(request, "admin_panel/departments.html", {"departments": list(departments)})


@require_http_methods(["GET", "POST"])
@administrator_required
def department_new(request: AdministratorRequest) -> HttpResponse:
    return _form(request, Department())


@require_http_methods(["GET", "POST"])
@administrator_required
def department_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _form(request, get_object_or_404(Department, pk=pk))


def _form(request: AdministratorRequest, department: Department) -> HttpResponse:
    creating = department.pk is None
    context = {"department_pk": department.pk, "department_name": department.name}
    if request.method != "POST":
        form = DepartmentForm(instance=department)
        return page(request, "admin_panel/department_form.html", context | {"form": form})
    form = DepartmentForm(request.POST, instance=department)
    if form.is_valid():
        try:
            changed = save_department(actor=request.agent, department=form.instance, defaults=form.defaults())
        except Refused as refusal:
            form.add_error("is_active", f"The department stays active. {refusal}")
        except Conflict:
            form.add_error("name", "Another department with this name was saved at the same moment.")
        else:
            done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Department “{form.instance.name}” {done}.")
            return redirect("admin_panel:departments")
    return page(request, "admin_panel/department_form.html", context | {"form": form}, status=400)

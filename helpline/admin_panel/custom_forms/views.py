"""Choice lists, custom forms and their fields: lists, and the forms that create and edit them."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.custom_forms.changes import Conflict, save_choice_list, save_field, save_form
from helpline.admin_panel.custom_forms.forms import ChoiceListForm, CustomFormForm, FieldForm
from helpline.admin_panel.sections import SECTIONS
from helpline.custom_fields.models import ChoiceList, Field, Form


def page(request: AdministratorRequest, section: str, template: str, context: dict, status: int = 200):
    return render(request, template, context | {"section": section, "sections": SECTIONS}, status=status)


def _done(request: AdministratorRequest, noun: str, name: str, creating: bool, changed: bool) -> None:
    done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
    messages.success(request, f"{noun} “{name}” {done}.")


# Choice lists ----------------------------------------------------------------------------------------------


@require_GET
@administrator_required
def choice_list_list(request: AdministratorRequest) -> HttpResponse:
    lists = ChoiceList.objects.annotate(used=Count("fields"))
    return page(request, "choice_lists", "admin_panel/choice_lists.html", {"lists": lists})


@require_http_methods(["GET", "POST"])
@administrator_required
def choice_list_new(request: AdministratorRequest) -> HttpResponse:
    return _choice_list_form(request, ChoiceList())


@require_http_methods(["GET", "POST"])
@administrator_required
def choice_list_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _choice_list_form(request, get_object_or_404(ChoiceList, pk=pk))


def _choice_list_form(request: AdministratorRequest, choice_list: ChoiceList) -> HttpResponse:
    creating = choice_list.pk is None
    context = {"list_pk": choice_list.pk, "list_name": choice_list.name}
    if request.method != "POST":
        form = ChoiceListForm(instance=choice_list)
        return page(request, "choice_lists", "admin_panel/choice_list_form.html", context | {"form": form})
    form = ChoiceListForm(request.POST, instance=choice_list)
    if form.is_valid():
        form.instance.choices = form.cleaned_data["choices_text"]
        try:
            changed = save_choice_list(actor=request.agent, choice_list=form.instance)
        except Conflict:
            form.add_error("name", "Another choice list with this name was saved at the same moment.")
        else:
            _done(request, "Choice list", form.instance.name, creating, changed)
            return redirect("admin_panel:choice_lists")
    return page(request, "choice_lists", "admin_panel/choice_list_form.html", context | {"form": form}, 400)


# Forms -----------------------------------------------------------------------------------------------------


@require_GET
@administrator_required
def form_list(request: AdministratorRequest) -> HttpResponse:
    forms = Form.objects.annotate(
        field_count=Count("fields", distinct=True), topic_count=Count("topic_links", distinct=True)
    )
    return page(request, "custom_forms", "admin_panel/custom_forms.html", {"custom_forms": forms})


@require_http_methods(["GET", "POST"])
@administrator_required
def form_new(request: AdministratorRequest) -> HttpResponse:
    return _form_form(request, Form())


@require_http_methods(["GET", "POST"])
@administrator_required
def form_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _form_form(request, get_object_or_404(Form, pk=pk))


def _form_form(request: AdministratorRequest, custom_form: Form) -> HttpResponse:
    creating = custom_form.pk is None
    fields = list(custom_form.fields.select_related("choice_list")) if custom_form.pk else []
    context = {"form_pk": custom_form.pk, "form_name": custom_form.name, "fields": fields}
    template = "admin_panel/custom_form_form.html"
    if request.method != "POST":
        return page(
            request, "custom_forms", template, context | {"form": CustomFormForm(instance=custom_form)}
        )
    form = CustomFormForm(request.POST, instance=custom_form)
    if form.is_valid():
        try:
            changed = save_form(actor=request.agent, form=form.instance, topics=form.cleaned_data["topics"])
        except Conflict:
            form.add_error("name", "Another form with this name was saved at the same moment.")
        else:
            _done(request, "Form", form.instance.name, creating, changed)
            return redirect("admin_panel:custom_form_edit", form.instance.pk)
    return page(request, "custom_forms", template, context | {"form": form}, 400)


# Fields ----------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@administrator_required
def field_new(request: AdministratorRequest, form_pk: int) -> HttpResponse:
    custom_form = get_object_or_404(Form, pk=form_pk)
    last = custom_form.fields.order_by("-sort").values_list("sort", flat=True).first()
    return _field_form(request, Field(form=custom_form, sort=(last or 0) + 10))


@require_http_methods(["GET", "POST"])
@administrator_required
def field_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _field_form(request, get_object_or_404(Field.objects.select_related("form"), pk=pk))


def _field_form(request: AdministratorRequest, field: Field) -> HttpResponse:
    creating = field.pk is None
    context = {"field_pk": field.pk, "field_label": field.label, "custom_form": field.form}
    template = "admin_panel/custom_field_form.html"
    if request.method != "POST":
        return page(request, "custom_forms", template, context | {"form": FieldForm(instance=field)})
    form = FieldForm(request.POST, instance=field)
    if form.is_valid():
        try:
            changed = save_field(actor=request.agent, field=form.instance)
        except Conflict:
            form.add_error("key", "Another field with this key was saved at the same moment.")
        else:
            _done(request, "Field", form.instance.label, creating, changed)
            return redirect("admin_panel:custom_form_edit", field.form_id)
    return page(request, "custom_forms", template, context | {"form": form}, 400)

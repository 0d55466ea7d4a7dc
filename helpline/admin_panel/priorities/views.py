"""Priorities: the list (most urgent first) and the form that creates and edits one. A priority is not
deleted: tickets keep the one they have."""

from django import forms
from django.contrib import messages
from django.core.validators import RegexValidator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.priorities.changes import Conflict, save_priority
from helpline.admin_panel.sections import SECTIONS
from helpline.catalog.models import Priority

SECTION = "priorities"


class PriorityForm(forms.ModelForm):
    color = forms.CharField(
        label="Colour",
        max_length=7,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour as #rrggbb, e.g. #cc3300.")],
        widget=forms.TextInput(attrs={"type": "color"}),
    )

    class Meta:
        model = Priority
        fields = ["name", "urgency", "color", "is_default"]
        labels = {"is_default": "Default"}
        help_texts = {
            "urgency": "Higher is more urgent: queues list the more urgent tickets first. Changing it re-sorts "
            "the priority's tickets.",
            "is_default": "New tickets get it when nothing else (a help topic, a filter rule) sets one.",
        }
        error_messages = {"urgency": {"unique": "Another priority has this urgency: choose another number."}}

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if Priority.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another priority already has this name.")
        return name

    def clean_is_default(self) -> bool:
        making = self.cleaned_data["is_default"]
        if self.instance.pk and self.instance.is_default and not making:
            raise forms.ValidationError("Make another priority the default instead: there is always one.")
        return making


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": SECTION, "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def priority_list(request: AdministratorRequest) -> HttpResponse:
    return page(
        request, "admin_panel/priorities.html", {"priorities": list(Priority.objects.order_by("-urgency"))}
    )


@require_http_methods(["GET", "POST"])
@administrator_required
def priority_new(request: AdministratorRequest) -> HttpResponse:
    return _form(request, Priority())


@require_http_methods(["GET", "POST"])
@administrator_required
def priority_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _form(request, get_object_or_404(Priority, pk=pk))


def _form(request: AdministratorRequest, priority: Priority) -> HttpResponse:
    creating = priority.pk is None
    context = {"priority_pk": priority.pk, "priority_name": priority.name}
    if request.method != "POST":
        return page(
            request, "admin_panel/priority_form.html", context | {"form": PriorityForm(instance=priority)}
        )
    form = PriorityForm(request.POST, instance=priority)
    if form.is_valid():
        try:
            changed = save_priority(actor=request.agent, priority=form.instance)
        except Conflict:
            form.add_error(None, "Another priority with this name or urgency was saved at the same moment.")
        else:
            done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Priority “{form.instance.name}” {done}.")
            return redirect("admin_panel:priorities")
    return page(request, "admin_panel/priority_form.html", context | {"form": form}, status=400)

"""The notification emails' pages: the list of kinds, and for each its subject, plain text and HTML, with
the variables it may use, a preview rendered with a sample ticket, and the way back to the shipped text."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.sections import SECTIONS
from helpline.tickets.emails.editing import (
    MAX_CHARS,
    Preview,
    Sources,
    current_sources,
    preview,
    reset_template,
    save_template,
    template_errors,
)
from helpline.tickets.emails.kinds import KINDS, Kind
from helpline.tickets.models import NotificationTemplate

SECTION = "email_templates"


class TemplateForm(forms.Form):
    # Sources are kept exactly as typed (no stripping): spacing is part of an email.
    subject = forms.CharField(
        max_length=MAX_CHARS["subject"],
        strip=False,
        help_text="One line; the ticket's token is put in front when it is left out.",
        widget=forms.TextInput(attrs={"class": "template-source", "spellcheck": "false"}),
    )
    body_text = forms.CharField(
        label="Plain text",
        max_length=MAX_CHARS["body_text"],
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "template-source", "spellcheck": "false"}),
    )
    body_html = forms.CharField(
        label="HTML",
        max_length=MAX_CHARS["body_html"],
        strip=False,
        help_text="Values are escaped for HTML; entry.body_html is inserted as it is.",
        widget=forms.Textarea(attrs={"rows": 14, "class": "template-source", "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean() or {}
        if not self.errors:
            for part, message in template_errors(cleaned).items():
                self.add_error(part, message)
        return cleaned


def _kind(key: str) -> Kind:
    if key not in KINDS:
        raise Http404("No such notification email.")
    return KINDS[key]


@require_GET
@administrator_required
def email_templates(request: AdministratorRequest) -> HttpResponse:
    edited = dict(NotificationTemplate.objects.values_list("kind", "updated_at"))
    kinds = [(kind, edited.get(kind.key)) for kind in KINDS.values()]
    context = {"kinds": kinds, "section": SECTION, "sections": SECTIONS}
    return render(request, "admin_panel/email_templates.html", context)


@require_http_methods(["GET", "POST"])
@administrator_required
def email_template(request: AdministratorRequest, kind: str) -> HttpResponse | HttpResponseRedirect:
    """GET shows the kind's current text and its preview. POST with ``preview`` renders what was typed,
    storing nothing; POST with ``save`` stores it once every part compiles."""
    spec = _kind(kind)
    current = current_sources(kind)
    if request.method == "GET":
        form = TemplateForm(initial=current.parts())
        return _page(request, spec, current, form, preview(kind, current.parts()))
    form = TemplateForm(request.POST)
    if not form.is_valid():
        return _page(request, spec, current, form, None, status=400)
    parts = {part: form.cleaned_data[part] for part in ("subject", "body_text", "body_html")}
    if "save" not in request.POST:
        return _page(request, spec, current, form, preview(kind, parts))
    saved = save_template(actor=request.agent, kind=kind, **parts)
    if saved.parts() == current.parts():
        messages.info(request, "Nothing changed.")
    elif saved.edited:
        messages.success(request, f"The {spec.label} email is saved. Emails from now on use it.")
    else:
        messages.success(request, f"The {spec.label} email is the shipped text again.")
    return redirect("admin_panel:email_template", kind=kind)


@require_POST
@administrator_required
def email_template_reset(request: AdministratorRequest, kind: str) -> HttpResponseRedirect:
    spec = _kind(kind)
    had_own = current_sources(kind).edited
    reset_template(actor=request.agent, kind=kind)
    if had_own:
        messages.success(request, f"The {spec.label} email is back to the shipped text.")
    else:
        messages.info(request, f"The {spec.label} email already has the shipped text.")
    return redirect("admin_panel:email_template", kind=kind)


def _page(
    request: AdministratorRequest,
    spec: Kind,
    current: Sources,
    form: TemplateForm,
    shown: Preview | None,
    *,
    status: int = 200,
) -> HttpResponse:
    context = {
        "kind": spec,
        "current": current,
        "form": form,
        "preview": shown,
        "section": SECTION,
        "sections": SECTIONS,
    }
    return render(request, "admin_panel/email_template.html", context, status=status)

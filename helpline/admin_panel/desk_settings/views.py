"""The desk settings page: one form over the single settings row; each save on the audit log with what
changed, and in effect from the next read (``core.desk``)."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_http_methods

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.sections import SECTIONS
from helpline.admin_panel.ticket_routing.changes import difference, snapshot
from helpline.audit.log import record
from helpline.core import desk
from helpline.core.forms import time_zone_field
from helpline.core.models import DeskSettings
from helpline.core.uploads import BLOCKED_EXTENSIONS
from helpline.people.models import Agent

SETTINGS = [
    "desk_name",
    "time_zone",
    "date_format",
    "ticket_number_digits",
    "max_attachment_bytes",
    "max_attachments",
    "allowed_extensions",
    "portal_open_tickets",
    "reopen_days",
]


class DeskSettingsForm(forms.ModelForm):
    time_zone = time_zone_field(
        label="Default time zone", help_text=DeskSettings._meta.get_field("time_zone").help_text
    )

    class Meta:
        model = DeskSettings
        fields = SETTINGS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bounds = {
            "ticket_number_digits": (6, 20),
            "max_attachment_bytes": (1, settings.HELPLINE_MAX_ATTACHMENT_BYTES),
            "max_attachments": (1, settings.HELPLINE_MAX_ATTACHMENTS),
        }
        for name, (low, high) in bounds.items():
            self.fields[name].validators += [MinValueValidator(low), MaxValueValidator(high)]
        self.fields["ticket_number_digits"].help_text = (
            f"Digits of new ticket numbers, 6 to 20; numbers given stay as they are. Blank: the deployment's "
            f"({settings.HELPLINE_TICKET_NUMBER_DIGITS})."
        )
        self.fields["max_attachment_bytes"].label = "Largest attachment (bytes)"
        self.fields["max_attachment_bytes"].help_text = (
            f"At most the server's limit, {filesizeformat(settings.HELPLINE_MAX_ATTACHMENT_BYTES)} "
            f"({settings.HELPLINE_MAX_ATTACHMENT_BYTES} bytes). Blank: that limit."
        )
        self.fields["max_attachments"].label = "Files per message"
        self.fields[
            "max_attachments"
        ].help_text = f"At most the server's limit, {settings.HELPLINE_MAX_ATTACHMENTS}. Blank: that limit."
        self.fields["reopen_days"].label = "Closed tickets reopen for (days)"

    def clean_desk_name(self) -> str:
        return " ".join(self.cleaned_data["desk_name"].split())

    def clean_allowed_extensions(self) -> str:
        words = sorted(
            set(self.cleaned_data["allowed_extensions"].lower().replace(",", " ").replace(".", "").split())
        )
        refused = [word for word in words if word in BLOCKED_EXTENSIONS]
        if refused:
            raise forms.ValidationError(
                "These types are never accepted (they run code): " + ", ".join(refused)
            )
        return " ".join(words)


def save_desk_settings(*, actor: Agent, row: DeskSettings) -> bool:
    """Save the settings a form put on the row. Returns whether anything changed."""
    with transaction.atomic():
        stored = DeskSettings.objects.select_for_update().filter(pk=1).first() or DeskSettings(pk=1)
        change: dict[str, Any] = difference(snapshot(stored, SETTINGS), snapshot(row, SETTINGS))
        if not change["after"]:
            return False
        row.pk = 1
        row.save()
        record(
            actor=actor,
            action="desk_settings.changed",
            target_type="desk_settings",
            target_id=1,
            target_repr="Desk settings",
            data=change,
        )
    desk.forget()
    return True


@require_http_methods(["GET", "POST"])
@administrator_required
def desk_settings(request: AdministratorRequest) -> HttpResponse:
    row = DeskSettings.objects.filter(pk=1).first() or DeskSettings(pk=1)
    context = {"section": "desk_settings", "sections": SECTIONS}
    if request.method != "POST":
        return render(
            request, "admin_panel/desk_settings.html", context | {"form": DeskSettingsForm(instance=row)}
        )
    form = DeskSettingsForm(request.POST, instance=row)
    if form.is_valid():
        changed = save_desk_settings(actor=request.agent, row=form.instance)
        messages.success(
            request, "Desk settings saved." if changed else "Desk settings unchanged: nothing to save."
        )
        return redirect("admin_panel:desk_settings")
    return render(request, "admin_panel/desk_settings.html", context | {"form": form}, status=400)

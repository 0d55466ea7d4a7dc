"""Mailboxes: the list with each one's last fetch, the form that creates and edits one, deactivation."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.email_channel.changes import Conflict, Refused, deactivate_mailbox, save_mailbox
from helpline.admin_panel.email_channel.forms import MailboxForm, default_port
from helpline.admin_panel.sections import SECTIONS
from helpline.core.text import one_line
from helpline.inbound.models import Mailbox

ERROR_SHOWN = 200  # characters of the last error in the list; the whole text is one click away


@dataclass(frozen=True)
class MailboxRow:
    mailbox: Mailbox
    server: str  # host:port as the fetcher connects, the standard port filled in; "" for the pipe
    error: str  # the last error on one line, shortened
    error_is_short: bool  # the one line says it all: no need to unfold the whole text


def mailbox_row(mailbox: Mailbox) -> MailboxRow:
    port = mailbox.port or default_port(mailbox.protocol, mailbox.security)
    server = f"{mailbox.host}:{port}" if mailbox.fetches and mailbox.host else ""
    error = one_line(mailbox.last_error, ERROR_SHOWN + 1)
    short = len(error) <= ERROR_SHOWN and "\n" not in mailbox.last_error.strip()
    return MailboxRow(mailbox, server, error if short else error[:ERROR_SHOWN] + "…", short)


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": "mailboxes", "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def mailbox_list(request: AdministratorRequest) -> HttpResponse:
    mailboxes = Mailbox.objects.select_related("department").order_by("name")
    return page(request, "admin_panel/mailboxes.html", {"rows": [mailbox_row(m) for m in mailboxes]})


@require_http_methods(["GET", "POST"])
@administrator_required
def mailbox_new(request: AdministratorRequest) -> HttpResponse:
    return _mailbox_form(request, Mailbox())


@require_http_methods(["GET", "POST"])
@administrator_required
def mailbox_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _mailbox_form(
        request, get_object_or_404(Mailbox.objects.select_related("department", "topic"), pk=pk)
    )


def _mailbox_form(request: AdministratorRequest, mailbox: Mailbox) -> HttpResponse:
    creating = mailbox.pk is None
    # As stored: a refused form has already put the values it was sent on the instance.
    context = {
        "mailbox_pk": mailbox.pk,
        "mailbox_name": mailbox.name,
        "mailbox_active": mailbox.is_active,
        "row": None if creating else mailbox_row(mailbox),
    }
    if request.method != "POST":
        return page(
            request, "admin_panel/mailbox_form.html", context | {"form": MailboxForm(instance=mailbox)}
        )
    form = MailboxForm(request.POST, instance=mailbox)
    if form.is_valid():
        try:
            changed = save_mailbox(
                actor=request.agent,
                mailbox=form.instance,
                password=form.cleaned_data["password"],
                make_default=form.cleaned_data["is_default"],
            )
        except Conflict:
            form.add_error(
                None,
                "Another change to the mailboxes was saved at the same moment (the same address, or another "
                "default mailbox): nothing was saved. Check the settings and save again.",
            )
        else:
            name = form.instance.name
            done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Mailbox “{name}” {done}.")
            return redirect("admin_panel:mailboxes")
    return page(request, "admin_panel/mailbox_form.html", context | {"form": form}, status=400)


@require_POST
@administrator_required
def mailbox_deactivate(request: AdministratorRequest, pk: int) -> HttpResponse:
    try:
        deactivated = deactivate_mailbox(actor=request.agent, mailbox_id=pk)
    except Mailbox.DoesNotExist as missing:
        raise Http404("No such mailbox") from missing
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("admin_panel:mailbox_edit", pk=pk)
    name = Mailbox.objects.values_list("name", flat=True).get(pk=pk)
    if deactivated:
        messages.success(request, f"Mailbox “{name}” deactivated: it is no longer read.")
    else:
        messages.info(request, f"Mailbox “{name}” was inactive already.")
    return redirect("admin_panel:mailboxes")

"""Webhooks: the list (with the hooks switched off for failing), the form that creates and edits one, its
secret and the way to replace it, and its latest deliveries with every attempt, each one re-sendable."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.sections import SECTIONS
from helpline.admin_panel.webhooks.changes import resend_delivery, rotate_secret, save_webhook
from helpline.admin_panel.webhooks.forms import WebhookForm
from helpline.webhooks.events import EVENT_TYPES
from helpline.webhooks.models import Attempt, Delivery, Webhook

DELIVERIES_SHOWN = 50


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": "webhooks", "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def webhook_list(request: AdministratorRequest) -> HttpResponse:
    hooks = list(Webhook.objects.order_by("name", "id"))
    return page(
        request,
        "admin_panel/webhooks.html",
        {
            "rows": [
                (hook, [EVENT_TYPES[kind] for kind in hook.events if kind in EVENT_TYPES]) for hook in hooks
            ],
            "switched_off": [hook for hook in hooks if not hook.is_active and hook.disabled_reason],
        },
    )


@require_http_methods(["GET", "POST"])
@administrator_required
def webhook_new(request: AdministratorRequest) -> HttpResponse:
    return _webhook_form(request, Webhook())


@require_http_methods(["GET", "POST"])
@administrator_required
def webhook_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _webhook_form(request, get_object_or_404(Webhook, pk=pk))


def _webhook_form(request: AdministratorRequest, hook: Webhook) -> HttpResponse:
    creating = hook.pk is None
    # As stored: a refused form has already put the values it was sent on the instance.
    context: dict[str, object] = {"hook": None if creating else Webhook.objects.get(pk=hook.pk)}
    if not creating:
        context["deliveries"] = _latest_deliveries(hook)
    if request.method != "POST":
        return page(request, "admin_panel/webhook_form.html", context | {"form": WebhookForm(instance=hook)})
    form = WebhookForm(request.POST, instance=hook)
    if form.is_valid():
        changed = save_webhook(
            actor=request.agent, hook=form.instance, active_shown=form.cleaned_data["is_active_shown"]
        )
        if creating:
            messages.success(request, f"Webhook “{hook.name}” created. Its secret is below.")
            return redirect("admin_panel:webhook_edit", pk=hook.pk)
        messages.success(
            request, f"Webhook “{hook.name}” {'saved' if changed else 'unchanged: nothing to save'}."
        )
        if hook.is_active != form.cleaned_data["is_active"]:
            # The box was left as shown and the hook was switched meanwhile: to its page, which says why.
            messages.warning(request, _switched_meanwhile(hook))
            return redirect("admin_panel:webhook_edit", pk=hook.pk)
        return redirect("admin_panel:webhooks")
    return page(request, "admin_panel/webhook_form.html", context | {"form": form}, status=400)


def _switched_meanwhile(hook: Webhook) -> str:
    if hook.is_active:
        return (
            f"Webhook “{hook.name}” was switched on meanwhile by someone else, so it stays on: untick "
            "“Active” and save to switch it off."
        )
    if hook.disabled_reason:
        return (
            f"Webhook “{hook.name}” was switched off meanwhile because its deliveries kept failing, so it "
            "stays off: the reason is at the top of its page. Once the receiver works again, tick “Active” "
            "and save to switch it on."
        )
    return (
        f"Webhook “{hook.name}” was switched off meanwhile by someone else, so it stays off: tick “Active” "
        "and save to switch it on."
    )


def _latest_deliveries(hook: Webhook) -> list[Delivery]:
    """The hook's latest deliveries, newest first, each with its attempts: two queries."""
    return list(
        Delivery.objects.filter(webhook=hook)
        .defer("body")
        .order_by("-id")
        .prefetch_related(Prefetch("attempt_log", queryset=Attempt.objects.order_by("id")))[:DELIVERIES_SHOWN]
    )


@require_POST
@administrator_required
def webhook_rotate(request: AdministratorRequest, pk: int) -> HttpResponse:
    try:
        hook = rotate_secret(actor=request.agent, hook_id=pk)
    except Webhook.DoesNotExist as missing:
        raise Http404("No such webhook") from missing
    messages.success(
        request, f"Webhook “{hook.name}” has a new secret: deliveries are signed with it from now on."
    )
    return redirect("admin_panel:webhook_edit", pk=pk)


@require_POST
@administrator_required
def delivery_resend(request: AdministratorRequest, pk: int, delivery_pk: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=pk)
    if not hook.is_active:
        messages.error(request, f"Webhook “{hook.name}” is switched off: tick “Active” and save it first.")
        return redirect("admin_panel:webhook_edit", pk=pk)
    try:
        resend_delivery(actor=request.agent, hook_id=pk, delivery_id=delivery_pk)
    except Delivery.DoesNotExist as missing:
        raise Http404("No such delivery") from missing
    messages.success(request, "Delivery re-sent: its outcome is at the top of the list below.")
    return redirect("admin_panel:webhook_edit", pk=pk)

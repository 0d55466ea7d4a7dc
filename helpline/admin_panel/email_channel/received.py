"""Received mail: every stored raw message, filtered, paged by keyset; by default the ones that need an
administrator (rejected or failed). One message's page shows its headers and its text as received, offers
it as a download, and lets an administrator discard it."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.db.models import BinaryField, QuerySet
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.email_channel import rawtext
from helpline.admin_panel.email_channel.changes import (
    DISCARDABLE,
    RETRYABLE,
    Refused,
    discard_message,
    retry_message,
)
from helpline.admin_panel.email_channel.forms import ANY_STATUS, NEEDS_ATTENTION, ReceivedFilterForm
from helpline.admin_panel.sections import SECTIONS
from helpline.core.pagination import keyset_page
from helpline.inbound.intake import Outcome
from helpline.inbound.models import RawMessage

PAGE_SIZE = 50
LISTED = (
    "received_at",
    "source",
    "sender",
    "subject",
    "status",
    "outcome",
    "reason",
    "mailbox__name",
    "ticket__number",
)


def filtered_messages(data: dict) -> QuerySet[RawMessage]:
    """The messages the valid filter asks for, without their bytes."""
    found = RawMessage.objects.select_related("mailbox", "ticket").only(*LISTED)
    status = data.get("status", NEEDS_ATTENTION)
    if status == NEEDS_ATTENTION:
        found = found.filter(status__in=DISCARDABLE)
    elif status != ANY_STATUS:
        found = found.filter(status=status)
    if data.get("mailbox"):
        found = found.filter(mailbox=data["mailbox"])
    if data.get("sender"):
        found = found.filter(sender__icontains=data["sender"].strip())
    zone = timezone.get_current_timezone()
    if data.get("since"):
        found = found.filter(received_at__gte=datetime.combine(data["since"], time.min, zone))
    if data.get("until"):
        found = found.filter(
            received_at__lt=datetime.combine(data["until"] + timedelta(days=1), time.min, zone)
        )
    return found


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": "received", "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def received_list(request: AdministratorRequest) -> HttpResponse:
    form = ReceivedFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    result = keyset_page(
        filtered_messages(data) if valid else RawMessage.objects.none(),
        field="received_at",
        descending=True,
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    query = {key: str(value) for key, value in request.GET.items() if key != "after" and value}
    next_url = (
        f"{request.path}?{urlencode(query | {'after': result.next_cursor})}" if result.next_cursor else ""
    )
    context = {
        "form": form,
        "raws": result.rows,
        "next_url": next_url,
        "attention": data.get("status", NEEDS_ATTENTION) == NEEDS_ATTENTION,
        "discardable": DISCARDABLE,
    }
    return page(request, "admin_panel/received.html", context, status=200 if valid else 400)


@require_GET
@administrator_required
def received_detail(request: AdministratorRequest, pk: int) -> HttpResponse:
    raw = get_object_or_404(
        RawMessage.objects.defer("data")
        .select_related("mailbox", "ticket")
        .annotate(head=Substr("data", 1, rawtext.SHOWN_BYTES, output_field=BinaryField())),
        pk=pk,
    )
    head = bytes(raw.head or b"")  # type: ignore[attr-defined]  # the annotation above
    context = {
        "raw": raw,
        "headers": rawtext.headers(head),
        "text": rawtext.readable(head),
        "shortened": raw.size > len(head),
        "shown_bytes": len(head),
        "discardable": raw.status in DISCARDABLE,
        "retryable": raw.status in RETRYABLE,
    }
    return page(request, "admin_panel/received_detail.html", context)


@require_GET
@administrator_required
def received_download(request: AdministratorRequest, pk: int) -> HttpResponse:
    """The exact bytes as received, always as a download: a browser never renders them."""
    raw = get_object_or_404(RawMessage.objects.only("data"), pk=pk)
    response = HttpResponse(bytes(raw.data), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, f"message-{pk}.eml")
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True)
    return response


@require_POST
@administrator_required
def received_discard(request: AdministratorRequest, pk: int) -> HttpResponse:
    try:
        discard_message(actor=request.agent, raw_id=pk)
    except RawMessage.DoesNotExist as missing:
        raise Http404("No such message") from missing
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("admin_panel:received_detail", pk=pk)
    messages.success(request, "Message discarded: it stays stored, and no longer needs attention.")
    return redirect("admin_panel:received")


@require_POST
@administrator_required
def received_retry(request: AdministratorRequest, pk: int) -> HttpResponse:
    try:
        result = retry_message(actor=request.agent, raw_id=pk)
    except RawMessage.DoesNotExist as missing:
        raise Http404("No such message") from missing
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("admin_panel:received_detail", pk=pk)
    if result.outcome in (Outcome.REJECTED, Outcome.FAILED):
        messages.error(request, f"Processed again, and {result.outcome.value}: {result.reason}")
    else:
        ticket = f" on ticket #{result.ticket.number}" if result.ticket else ""
        messages.success(request, f"Processed again: {result.outcome.value}{ticket}.")
    return redirect("admin_panel:received_detail", pk=pk)

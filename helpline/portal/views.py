"""The requester portal: open a ticket, then follow it through the private link sent by email.

Requesters have no login here: the signed token in the URL names the ticket and the person it was issued to
(see ``tickets.access``). Every view is a thin door onto ``tickets.actions``; the policy decides what a
requester may do.
"""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from helpline.catalog.models import State, TicketStatus
from helpline.core.desk import desk
from helpline.core.downloads import download_response
from helpline.core.timefmt import activate_zone
from helpline.custom_fields.doors import refilled
from helpline.custom_fields.values import FieldsForm
from helpline.people.models import Requester
from helpline.people.permissions import Perm
from helpline.people.preferences import set_time_zone
from helpline.people.requesters import Contact
from helpline.portal import protection
from helpline.portal.forms import OpenTicketForm, ReplyForm, TimeZoneForm, posted_topic
from helpline.routing.custom_forms import topic_fields
from helpline.tickets import actions
from helpline.tickets.access import access_token, access_url, resolve_token
from helpline.tickets.models import Attachment, Source, Ticket
from helpline.tickets.policy import NotAllowed, TooManyOpenTickets, can
from helpline.tickets.queries import shown_field_values, thread_for

TokenView = Callable[..., HttpResponseBase]


def keep_private(response: HttpResponseBase) -> HttpResponseBase:
    """The token is in the URL: never send it on as a referrer, and keep the page out of shared caches.
    A view may have chosen a referrer policy already (see ``FORM_PAGE_REFERRER_POLICY``)."""
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response["Cache-Control"] = "private, no-store"
    return response


# Under "no-referrer" browsers send "Origin: null" with the page's form posts (Fetch standard, "append a
# request Origin header"), which Django's CSRF check refuses. "strict-origin" still never sends the path,
# so the token stays in the page, while same-origin posts carry the real Origin.
FORM_PAGE_REFERRER_POLICY = "strict-origin"


def token_page(view: TokenView) -> Callable[..., HttpResponseBase]:
    """Resolve the token to ``(ticket, requester)`` for ``view``. A forged, revoked or stale token (and any
    Http404 of the view) answers 404, a refusal by the policy 403; every answer is kept private. Times
    are shown in the requester's zone."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs) -> HttpResponseBase:
        response: HttpResponseBase
        try:
            resolved = resolve_token(token)
            if resolved is None:
                raise Http404("Unknown access link")
            activate_zone(resolved[1].time_zone)  # reset by TimeZoneMiddleware
            response = _merged_link(request, token, *resolved) or view(
                request, *resolved, token=token, **kwargs
            )
        except Http404:
            response = render(request, "portal/invalid_link.html", status=404)
        except NotAllowed:
            response = render(request, "portal/forbidden.html", status=403)
        return keep_private(response)

    return wrapper


def _merged_link(
    request: HttpRequest, token: str, ticket: Ticket, requester: Requester
) -> HttpResponse | None:
    """A link to a ticket that was merged into this one: show this ticket at its own link (what it says
    and the replies it takes are this ticket's), saying why. Posts through the old link still land here."""
    if request.method not in ("GET", "HEAD") or access_token(ticket, requester) == token:
        return None
    messages.info(
        request, f"That ticket was merged into ticket #{ticket.number}: its conversation goes on here."
    )
    return redirect("portal:ticket", token=access_token(ticket, requester))


def _fields_form(data=None) -> FieldsForm:
    """The requester-visible fields of the topic posted (or asked for), bound to ``data`` when given."""
    source = data if data is not None else QueryDict()
    return FieldsForm(data, custom_fields=topic_fields(posted_topic(source), requester=True))


@require_safe
def topic_fields_view(request: HttpRequest) -> HttpResponse:
    """The fields of the chosen topic, for the open form to swap in (htmx) when the topic changes; what was
    typed in the fields is sent along and kept."""
    fields = topic_fields(posted_topic(request.GET), requester=True)
    form = refilled(FieldsForm, request.GET, custom_fields=fields)
    return render(request, "custom_fields/_fields.html", {"fields_form": form})


@require_http_methods(["GET", "POST"])
def open_ticket_view(request: HttpRequest) -> HttpResponseBase:
    if not desk().portal_open_tickets:  # the administrator closed the form (desk settings)
        return render(request, "portal/open_closed.html", status=200 if request.method == "GET" else 403)
    if request.method != "POST":
        return _open_page(request, OpenTicketForm(), protection.issue_form_token(), fields=_fields_form())
    if "show_fields" in request.POST:
        # Without JavaScript, a changed topic is posted to show its fields: the page again, as typed.
        form = refilled(OpenTicketForm, request.POST)
        fields = refilled(
            FieldsForm, request.POST, custom_fields=topic_fields(posted_topic(request.POST), requester=True)
        )
        token_value = request.POST.get(protection.ONE_TIME_FIELD, "") or protection.issue_form_token()
        return _open_page(request, form, token_value, fields=fields)
    form = OpenTicketForm(request.POST, request.FILES)
    fields = _fields_form(request.POST)
    token = protection.read_form_token(request.POST.get(protection.ONE_TIME_FIELD))
    refusal = protection.check_open_form(request, token)
    if refusal is not None or token is None:
        # A refused form keeps its token (it was not spent), or gets a new one in place of a stale one.
        token_value = token.value if token else protection.issue_form_token()
        return _open_page(request, form, token_value, refusal, fields=fields)
    if not (form.is_valid() & fields.is_valid()):  # both checked, so every error shows at once
        return _open_page(request, form, token.value, fields=fields)
    try:
        with transaction.atomic():
            protection.spend_form_token(token)
            protection.take_ticket_budget(request)
            opened = _open_from(form, fields)
            if opened is None:
                transaction.set_rollback(True)  # refused on the form: neither token nor budget is spent
            else:
                protection.record_ticket(token, opened[0])
    except protection.AlreadySent as sent:
        return _sent_before(request, form, sent.ticket, fields)
    except protection.Refused as refused:
        return _open_page(request, form, token.value, refused.refusal, fields=fields)
    if opened is None:
        return _open_page(request, form, token.value, fields=fields)
    ticket, requester = opened
    # Redirect, so refreshing the confirmation never posts the form a second time.
    return keep_private(redirect("portal:created", token=access_token(ticket, requester)))


def _open_page(
    request: HttpRequest,
    form: forms.Form,
    form_token: str,
    refusal: protection.Refusal | None = None,
    *,
    fields: forms.Form,
) -> HttpResponse:
    context = {"form": form, "form_token": form_token, "refusal": refusal, "fields_form": fields}
    response = render(request, "portal/open.html", context, status=refusal.status if refusal else 200)
    if refusal is not None and refusal.retry_after:
        response["Retry-After"] = str(refusal.retry_after)
    return response


def _sent_before(
    request: HttpRequest, form: OpenTicketForm, ticket: Ticket | None, fields: FieldsForm
) -> HttpResponseBase:
    """The same form posted again (a double click, a reloaded post): where the first post led."""
    if ticket is not None:
        return keep_private(redirect("portal:created", token=access_token(ticket, ticket.requester)))
    gone = protection.Refusal(
        "form sent before",
        "This form was sent already. To open another ticket, send it again: what you typed is kept.",
        400,
    )
    return _open_page(request, form, protection.issue_form_token(), gone, fields=fields)


def _open_from(form: OpenTicketForm, fields: FieldsForm) -> tuple[Ticket, Requester] | None:
    """Open the ticket the valid form describes; on a refusal, record it on the form and return None."""
    data = form.cleaned_data
    try:
        ticket = actions.receive_ticket(
            sender=Contact(email=data["email"], name=data["name"], phone=data["phone"]),
            channel=Source.WEB,
            subject=data["subject"],
            body=data["message"],
            attachments=data["attachments"],
            routing=actions.Routing(topic=data["topic"]),
            field_values=fields.values(),
        )
    except (TooManyOpenTickets, actions.RejectedByRule) as refusal:
        form.add_error(None, str(refusal))
        return None
    except NotAllowed:
        # The topic was withdrawn between showing the form and posting it.
        form.add_error("topic", "This topic is no longer available. Choose another one.")
        return None
    except ValidationError as error:
        form.add_error(None, error)
        return None
    return ticket, ticket.requester


@token_page
@require_safe
def created(request: HttpRequest, ticket: Ticket, requester: Requester, token: str) -> HttpResponse:
    context = {"ticket": ticket, "requester": requester, "url": access_url(ticket, requester)}
    return render(request, "portal/created.html", context)


@token_page
@require_safe
def ticket_view(request: HttpRequest, ticket: Ticket, requester: Requester, token: str) -> HttpResponse:
    return _ticket_page(request, ticket, requester, token, ReplyForm())


def _ticket_page(
    request: HttpRequest,
    ticket: Ticket,
    requester: Requester,
    token: str,
    reply_form: ReplyForm,
    zone_form: TimeZoneForm | None = None,
) -> HttpResponse:
    may_close = can(requester, Perm.CLOSE, ticket)
    context = {
        "ticket": ticket,
        "requester": requester,
        "token": token,
        "entries": thread_for(requester, ticket),
        "field_values": shown_field_values(ticket, internal=False),
        "reply_form": reply_form,
        "zone_form": zone_form or TimeZoneForm(initial={"time_zone": requester.time_zone}),
        "show_close": may_close and ticket.state != State.CLOSED,
        "show_reopen": may_close and ticket.is_finished,
    }
    response = render(request, "portal/ticket.html", context)
    response["Referrer-Policy"] = FORM_PAGE_REFERRER_POLICY
    return response


@token_page
@require_POST
def reply(request: HttpRequest, ticket: Ticket, requester: Requester, token: str) -> HttpResponse:
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _ticket_page(request, ticket, requester, token, form)
    was_finished = ticket.is_finished
    try:
        actions.post_message(
            actor=requester,
            ticket=ticket,
            body=form.cleaned_data["message"],
            attachments=form.cleaned_data["attachments"],
        )
    except ValidationError as error:
        form.add_error("attachments", error)
        return _ticket_page(request, ticket, requester, token, form)
    except actions.RejectedByRule as refusal:
        form.add_error(None, str(refusal))
        return _ticket_page(request, ticket, requester, token, form)
    note = "Your reply was sent and the ticket is open again." if was_finished else "Your reply was sent."
    messages.success(request, note)
    return redirect("portal:ticket", token=token)


@token_page
@require_POST
def time_zone(request: HttpRequest, ticket: Ticket, requester: Requester, token: str) -> HttpResponse:
    """The requester chooses the zone their times are shown in, here and on their other tickets."""
    form = TimeZoneForm(request.POST)
    if not form.is_valid():
        response = _ticket_page(request, ticket, requester, token, ReplyForm(), zone_form=form)
        response.status_code = 400
        return response
    set_time_zone(requester, form.cleaned_data["time_zone"])
    activate_zone(requester.time_zone)
    messages.success(request, f"Times are now shown in {timezone.get_current_timezone_name()}.")
    return redirect("portal:ticket", token=token)


@token_page
@require_POST
def close(request: HttpRequest, ticket: Ticket, requester: Requester, token: str) -> HttpResponse:
    if ticket.state == State.CLOSED:
        messages.info(request, "The ticket is already closed.")
    else:
        actions.set_status(actor=requester, ticket=ticket, status=TicketStatus.default_for(State.CLOSED))
        messages.success(request, "The ticket is closed. Thank you!")
    return redirect("portal:ticket", token=token)


@token_page
@require_POST
def reopen(request: HttpRequest, ticket: Ticket, requester: Requester, token: str) -> HttpResponse:
    if not ticket.is_finished:
        # A second click, or a page left open: nothing to reopen, and nothing to refuse.
        messages.info(request, "The ticket is already open.")
    else:
        actions.reopen_ticket(actor=requester, ticket=ticket)
        messages.success(request, "The ticket is open again.")
    return redirect("portal:ticket", token=token)


@token_page
@require_safe
def attachment(
    request: HttpRequest, ticket: Ticket, requester: Requester, token: str, pk: int
) -> FileResponse:
    """A file of a message or response the token's holder can read; anything else is not found."""
    found = (
        Attachment.objects.filter(
            pk=pk,
            entry__in=thread_for(requester, ticket),  # the thread a requester reads: no notes
        )
        .only("file", "filename", "content_type")
        .first()
    )
    if found is None:
        raise Http404("No such attachment")
    return download_response(found.file, filename=found.filename, content_type=found.content_type)

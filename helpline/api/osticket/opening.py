"""Opening the ticket a checked request describes, through the ticket actions, as the API key's channel."""

import copy

from helpline.api.osticket.custom import custom_values
from helpline.api.osticket.fields import TicketRequest
from helpline.catalog.models import Priority
from helpline.core import configuration
from helpline.core.prepared import PreparedQuery
from helpline.core.sqlite import batching
from helpline.core.whole_numbers import whole_number
from helpline.inbound.models import Mailbox
from helpline.people.actors import Actor
from helpline.people.models import Department
from helpline.routing.models import HelpTopic
from helpline.tickets.actions import Routing, receive_ticket
from helpline.tickets.models import Source, Ticket

# osTicket's sources, as Helpline names them; any other is the API.
SOURCES = {
    "web": Source.WEB,
    "email": Source.EMAIL,
    "phone": Source.PHONE,
    "api": Source.API,
    "other": Source.AGENT,
}


class NowhereToRoute(ValueError):
    """No help topic was given and Helpline has no default destination for the ticket."""


def _topic(topic_id: int | None) -> HelpTopic | None:
    # An unknown or retired topic is ignored, as osTicket ignores it; the ticket goes where one without a
    # topic goes.
    return None if topic_id is None else _TOPIC.first(topic_id)


def _priority(given: str) -> Priority | None:
    """osTicket sends a priority's id; its name is taken too. An unknown one is ignored, like a topic."""
    if not given:
        return None
    if (priority_id := whole_number(given)) is not None:
        return _PRIORITY.first(priority_id)
    return Priority.objects.filter(name__iexact=given).first()


def _default_routing() -> Routing:
    """Where a ticket without a help topic goes: where the default mailbox sends mail, else the first
    active department (osTicket's default department and topic play this part there). Kept in the
    process until a mailbox's routing, a department, a help topic or what it brings changes
    (``core.configuration``); each caller gets its own copies."""
    found = configuration.cached("api.osticket.default_destination", _default_destination)
    if found is None:
        raise NowhereToRoute("No help topic was given, and Helpline has no active department to send it to.")
    topic, department = found
    return Routing(topic=copy.copy(topic) if topic is not None else None, department=copy.copy(department))


def _default_destination() -> tuple[HelpTopic | None, Department] | None:
    if (mailbox := _DEFAULT_MAILBOX.first()) is not None:
        return mailbox.topic, mailbox.department
    if (department := _FIRST_DEPARTMENT.first()) is not None:
        return None, department
    return None


# What a request is routed by, each compiled once (core.prepared): every ticket asks one or two of them.
_TOPIC_ROWS = ("department", "priority", "sla_plan", "status")
_TOPIC = PreparedQuery(
    lambda topic_id: HelpTopic.objects.filter(
        pk=topic_id, is_active=True, department__is_active=True
    ).select_related(*_TOPIC_ROWS)
)
_PRIORITY = PreparedQuery(lambda priority_id: Priority.objects.filter(pk=priority_id))
_DEFAULT_MAILBOX = PreparedQuery(
    lambda: (
        Mailbox.objects.filter(is_active=True, is_default=True, department__is_active=True)
        .select_related("department", *(f"topic__{row}" for row in _TOPIC_ROWS))
        .order_by("pk")[:1]
    ),
    kinds=(),
)
_FIRST_DEPARTMENT = PreparedQuery(
    lambda: Department.objects.filter(is_active=True).order_by("pk")[:1], kinds=()
)


def open_requested(request: TicketRequest, *, actor: Actor) -> Ticket:
    """Open the ticket, routed by its topic as the other doors route. Raises what ``receive_ticket`` raises
    (ValidationError, NotAllowed and RejectedByRule, ValueError), NowhereToRoute, and Refused for a bad
    custom field value."""
    topic = _topic(request.topic_id)
    routing = Routing(topic=topic) if topic is not None else _default_routing()
    values = custom_values(routing.topic.pk if routing.topic is not None else None, request.other)
    priority = _priority(request.priority)
    if priority is not None:
        routing = Routing(topic=routing.topic, department=routing.department, priority=priority)
    return batching.run(
        receive_ticket,
        sender=request.contact,
        channel=SOURCES.get(request.source, Source.API),
        subject=request.subject,
        body=request.body,
        body_format=request.body_format,
        attachments=request.attachments,
        routing=routing,
        entered_by=actor,
        confirm=request.autorespond,
        alert=request.alert,
        field_values=values or None,
    )

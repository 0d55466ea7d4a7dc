"""Custom fields on the ticket page: every value (internal ones too), and the form that changes them for
agents who may edit the ticket."""

from django import forms

from helpline.custom_fields.models import Field
from helpline.custom_fields.values import FieldsForm, form_name
from helpline.people.models import Agent
from helpline.people.permissions import Perm
from helpline.routing.custom_forms import topic_fields
from helpline.tickets.models import FieldValue, Ticket
from helpline.tickets.policy import can
from helpline.tickets.queries import field_values_of, shown_field_values

FORM_IDS = "fields-%s"


def editable_fields(ticket: Ticket) -> list[Field]:
    """The fields of the ticket's topic, and any other the ticket holds a value of (its topic changed)."""
    fields = topic_fields(ticket.topic_id, requester=False)
    known = {field.pk for field in fields}
    held = Field.objects.filter(
        pk__in=FieldValue.objects.filter(ticket=ticket).values("field_id"), is_active=True
    ).exclude(pk__in=known)
    return fields + list(held.select_related("choice_list"))


def custom_fields_context(agent: Agent, ticket: Ticket, bound: "forms.Form | None") -> dict:
    form = bound
    if form is None and can(agent, Perm.EDIT, ticket):
        fields = editable_fields(ticket)
        initial = {form_name(field): value for field, value in field_values_of(ticket, fields).items()}
        form = FieldsForm(custom_fields=fields, initial=initial, auto_id=FORM_IDS) if fields else None
    return {"field_values": shown_field_values(ticket, internal=True), "fields_form": form}

"""A ticket's custom field values: stored when it is opened, and changed by agents who may edit it."""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from helpline.custom_fields.models import Field
from helpline.custom_fields.values import Value, columns, shown
from helpline.people.actors import Actor
from helpline.people.permissions import Perm
from helpline.tickets.actions.base import lock_ticket, record_event, touch
from helpline.tickets.events import FieldChange, FieldsChanged, Ref
from helpline.tickets.handover import reindex_on_commit
from helpline.tickets.models import FieldValue, Ticket
from helpline.tickets.policy import NotAllowed, reads_internal, require
from helpline.tickets.queries import field_values_of

FieldValues = Mapping[Field, Value | None]


def require_settable(actor: Actor, values: FieldValues) -> None:
    """Requesters set only the fields they see: an internal field is the desk's own."""
    if not reads_internal(actor) and any(not field.is_public for field in values):
        raise NotAllowed(f"{actor} may not set internal fields.")


def store_values(ticket: Ticket, values: FieldValues) -> None:
    """The values of a ticket that has none yet (it is being opened); empty ones are not stored."""
    FieldValue.objects.bulk_create(
        FieldValue(ticket=ticket, field=field, **columns(field, value))
        for field, value in values.items()
        if value is not None
    )


def set_field_values(*, actor: Actor, ticket: Ticket, values: FieldValues) -> Ticket:
    """Set the ticket's values of the fields in ``values`` (None clears one): the edit permission. Records
    one event with each changed field's value before and after; nothing when nothing changed. Raises
    NotAllowed."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.EDIT, ticket)
        require_settable(actor, values)
        before = field_values_of(ticket, list(values))
        changes = [field for field, value in values.items() if before[field] != value]
        if not changes:
            return ticket
        for field in changes:
            value = values[field]
            if value is None:
                FieldValue.objects.filter(ticket=ticket, field=field).delete()
            else:
                blank = {"text": "", "long_text": "", "number": None, "date": None, "flag": None}
                FieldValue.objects.update_or_create(
                    ticket=ticket, field=field, defaults=blank | columns(field, value)
                )
        now = timezone.now()
        touch(ticket, now)
        changed = FieldsChanged(
            changes=[
                FieldChange(
                    field=Ref(id=field.pk, name=field.label),
                    before=shown(field, before[field]),
                    after=shown(field, values[field]),
                )
                for field in changes
            ]
        )
        record_event(ticket, actor, changed, now)
        reindex_on_commit(ticket.pk)
    return ticket

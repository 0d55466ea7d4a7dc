"""osTicket's custom fields by name: a request's other keys that name a custom field of the ticket's help
topic (its key, as osTicket names a field by its variable) become the ticket's values, checked as the
portal checks them (the fields a requester sees: an API key reads no internal field, and sets none). A field the request leaves out stays empty, required or not: a script written before
the field existed keeps working, as it does against osTicket. Keys that name no field are ignored, as
osTicket ignores them."""

from typing import Any

from django.http import QueryDict

from helpline.api.osticket.fields import Refused
from helpline.custom_fields.models import Kind
from helpline.custom_fields.values import FieldsForm, Value, form_name
from helpline.routing.custom_forms import topic_fields

# What osTicket's API itself reads; never a custom field's name here.
KNOWN = frozenset(
    {
        "name",
        "email",
        "phone",
        "phone_ext",
        "subject",
        "message",
        "attachments",
        "topicId",
        "priority",
        "priorityId",
        "source",
        "ip",
        "alert",
        "autorespond",
        "duedate",
        "deptId",
        "slaId",
    }
)


def custom_values(topic_id: int | None, data: dict[str, Any]) -> dict:
    """The values the request gives the topic's custom fields. Raises Refused naming each bad one."""
    given = {key: value for key, value in data.items() if key not in KNOWN}
    if not given or topic_id is None:
        return {}
    fields = [field for field in topic_fields(topic_id, requester=True) if field.key in given]
    if not fields:
        return {}
    posted = QueryDict(mutable=True)
    for field in fields:
        value = given[field.key]
        if field.kind == Kind.MULTIPLE_CHOICE and isinstance(value, list):
            posted.setlist(form_name(field), [str(item) for item in value])
        elif field.kind == Kind.CHECKBOX:
            posted[form_name(field)] = "on" if _true(value) else ""
        else:
            posted[form_name(field)] = "" if value is None else str(value)
    form = FieldsForm(posted, custom_fields=fields)
    for field in fields:
        form.fields[form_name(field)].required = False
    if not form.is_valid():
        by_name = {form_name(field): field.key for field in fields}
        problems = [
            (by_name.get(name, name), " ".join(str(message) for message in messages))
            for name, messages in form.errors.items()
        ]
        raise Refused(problems)
    values: dict[Any, Value | None] = {
        field: value for field, value in form.values().items() if value is not None
    }
    return values


def _true(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in {"", "0", "false", "no", "off"}
    return bool(value)

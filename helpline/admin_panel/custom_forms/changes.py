"""The changes an administrator makes to choice lists, custom forms (and the help topics that ask them)
and fields, each in one transaction with its audit record (before and after)."""

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, models, transaction

from helpline.admin_panel.email_channel.changes import Conflict
from helpline.admin_panel.ticket_routing.changes import difference, ref, snapshot
from helpline.audit.log import record
from helpline.custom_fields.models import ChoiceList, Field, Form
from helpline.people.models import Agent
from helpline.routing.models import HelpTopic, TopicForm

__all__ = ["Conflict"]

CHOICE_LIST_SETTINGS = ["name", "choices"]
FORM_SETTINGS = ["name", "is_active"]
FIELD_SETTINGS = [
    "form",
    "label",
    "key",
    "kind",
    "required",
    "is_public",
    "help_text",
    "max_length",
    "min_value",
    "max_value",
    "choice_list",
    "sort",
    "is_active",
]


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """Numbers as text, so the record is JSON."""
    return {key: str(value) if hasattr(value, "as_tuple") else value for key, value in values.items()}


def _save(
    actor: Agent, row: models.Model, names: Sequence[str], kind: str, extra: tuple[dict, dict] | None = None
) -> bool:
    """Create ``row`` or save what a form put on it, with its record; ``extra``: (before, after) of what
    is stored beside the row. Returns whether anything changed. Raises Conflict on a name taken meanwhile."""
    before_extra, after_extra = extra or ({}, {})
    after = _plain(snapshot(row, names)) | after_extra
    try:
        with transaction.atomic():
            if row.pk is None:
                row.save()
                _record(actor, f"{kind}.created", row, kind, {"after": after})
                return True
            stored = type(row)._default_manager.select_for_update().get(pk=row.pk)
            change = difference(_plain(snapshot(stored, names)) | before_extra, after)
            if not change["after"]:
                return False
            row.save()
            _record(actor, f"{kind}.changed", row, kind, change)
            return True
    except IntegrityError as error:
        raise Conflict(str(error)) from error


def _record(actor: Agent, action: str, row: models.Model, kind: str, data: dict[str, Any]) -> None:
    record(actor=actor, action=action, target_type=kind, target_id=row.pk, target_repr=str(row), data=data)


def save_choice_list(*, actor: Agent, choice_list: ChoiceList) -> bool:
    return _save(actor, choice_list, CHOICE_LIST_SETTINGS, "choice_list")


def save_field(*, actor: Agent, field: Field) -> bool:
    return _save(actor, field, FIELD_SETTINGS, "custom_field")


def _topics_of(form: Form) -> list[dict[str, Any] | None]:
    if form.pk is None:
        return []
    links = TopicForm.objects.filter(form=form).select_related("topic").order_by("topic__full_name")
    return [ref(link.topic) for link in links]


def save_form(*, actor: Agent, form: Form, topics: Sequence[HelpTopic]) -> bool:
    """Create or save the form and the help topics that ask it: a topic that starts asking it asks it
    after its other forms."""
    with transaction.atomic():
        before = {"topics": _topics_of(form)}
        after = {"topics": [ref(topic) for topic in sorted(topics, key=lambda topic: topic.full_name)]}
        changed = _save(actor, form, FORM_SETTINGS, "custom_form", (before, after))
        wanted = {topic.pk for topic in topics}
        TopicForm.objects.filter(form=form).exclude(topic_id__in=wanted).delete()
        present = set(TopicForm.objects.filter(form=form).values_list("topic_id", flat=True))
        for topic_id in sorted(wanted - present):
            last = TopicForm.objects.filter(topic_id=topic_id).aggregate(models.Max("sort"))["sort__max"]
            TopicForm.objects.create(topic_id=topic_id, form=form, sort=(last or 0) + 10)
    return changed

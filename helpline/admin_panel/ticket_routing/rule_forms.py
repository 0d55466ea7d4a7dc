"""The filter rule form: the rule's settings, its conditions and its actions (two formsets), each rule an
administrator can break named on its field. Regular expressions are checked as they are saved
(``RuleCondition.clean``)."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.forms.models import BaseInlineFormSet, inlineformset_factory

from helpline.catalog.models import Priority, TicketStatus
from helpline.people.models import Agent, Department, Team
from helpline.routing.models import (
    ActionKind,
    Channel,
    ConditionField,
    FilterRule,
    HelpTopic,
    Operator,
    RuleAction,
    RuleCondition,
)
from helpline.routing.models.rules import KEYED_FIELDS, TARGET_FIELDS
from helpline.routing.models.topics import in_tree_order
from helpline.sla.models import SLAPlan

# Custom fields do not exist yet: their conditions are evaluated, and offered here once they do.
OFFERED_FIELDS = [choice for choice in ConditionField.choices if choice[0] != ConditionField.CUSTOM_FIELD]
EXTRA_ROWS = 2
PLURALS = {
    "department": "departments",
    "topic": "help topics",
    "priority": "priorities",
    "sla_plan": "SLA plans",
    "status": "statuses",
    "agent": "agents",
    "team": "teams",
}


class FilterRuleForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The rule runs on new tickets that arrive this way.",
        error_messages={"required": "Choose at least one channel, or the rule never runs."},
    )

    class Meta:
        model = FilterRule
        fields = ["name", "channels", "on_messages", "match", "stop_processing", "is_active"]
        labels = {
            "on_messages": "Also on new messages",
            "match": "The rule matches when",
            "stop_processing": "Stop processing later rules when this rule matches",
            "is_active": "Active",
        }
        help_texts = {
            "name": "How the rule is named on the list, the audit log and each ticket's thread.",
            "on_messages": "Also run on every new message of an existing ticket (from the same channels).",
            "match": "A rule without conditions matches everything.",
            "stop_processing": "",
        }
        widgets = {"match": forms.RadioSelect}
        error_messages = {"name": {"unique": "Another rule already has this name."}}

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if FilterRule.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Another rule already has this name.")
        return name


class ConditionForm(forms.ModelForm):
    class Meta:
        model = RuleCondition
        fields = ["field", "key", "operator", "value"]
        labels = {"field": "Looks at", "key": "Header name", "operator": "Operator", "value": "Value"}
        help_texts = {"key": ""}  # said once above the rows
        widgets = {"value": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field, operator = self.fields["field"], self.fields["operator"]
        assert isinstance(field, forms.ChoiceField) and isinstance(operator, forms.ChoiceField)
        field.choices = [("", "Choose"), *OFFERED_FIELDS]
        operator.choices = [("", "Choose"), *Operator.choices]

    def clean_key(self) -> str:
        return self.cleaned_data["key"].strip()

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("field") not in KEYED_FIELDS:
            cleaned["key"] = ""
        return cleaned


@dataclass(frozen=True)
class Targets:
    """What an action may name, read once for all the action rows of a page: grouped choices for the
    select (values "department:3", ...) and the rows by value."""

    choices: list
    rows: dict[str, models.Model]

    @classmethod
    def load(cls) -> "Targets":
        groups = [
            ("department", "Departments", Department.objects.all()),
            ("topic", "Help topics", in_tree_order(HelpTopic.objects.all())),
            ("priority", "Priorities", Priority.objects.all()),
            ("sla_plan", "SLA plans", SLAPlan.objects.all()),
            ("status", "Statuses", TicketStatus.objects.order_by("state", "sort", "name")),
            ("agent", "Agents", Agent.objects.select_related("user")),
            ("team", "Teams", Team.objects.all()),
        ]
        choices: list = [("", "Nothing")]
        rows: dict[str, models.Model] = {}
        for name, title, queryset in groups:
            options = []
            for row in queryset:
                value = f"{name}:{row.pk}"
                rows[value] = row
                options.append((value, _target_label(row)))
            choices.append((title, options))
        return cls(choices, rows)


def _target_label(row: models.Model) -> str:
    label = str(row)
    if isinstance(row, TicketStatus):
        label = f"{row.name} ({row.get_state_display().lower()})"
    return label if getattr(row, "is_active", True) else f"{label} (inactive)"


class ActionForm(forms.ModelForm):
    target = forms.ChoiceField(label="Sets", required=False)

    class Meta:
        model = RuleAction
        fields = ["kind", "text"]
        labels = {"kind": "Action", "text": "Text"}
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    field_order = ["kind", "target", "text"]

    def __init__(self, *args, targets: Targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "Choose"), *ActionKind.choices]
        target_field = self.fields["target"]
        assert isinstance(target_field, forms.ChoiceField)
        target_field.choices = targets.choices
        current = self.instance.target if self.instance.pk else None
        if current is not None:
            self.initial["target"] = f"{TARGET_FIELDS[ActionKind(self.instance.kind)]}:{current.pk}"

    def clean(self):
        cleaned = super().clean() or {}
        kind, value = cleaned.get("kind"), cleaned.get("target") or ""
        if not kind:
            return cleaned
        wanted = TARGET_FIELDS.get(ActionKind(kind))
        for name in TARGET_FIELDS.values():
            setattr(self.instance, name, None)
        if wanted:
            if not value.startswith(f"{wanted}:") or value not in self.targets.rows:
                label = ActionKind(kind).label
                self.add_error("target", f"Choose what “{label}” sets: one of the {PLURALS[wanted]}.")
            else:
                setattr(self.instance, wanted, self.targets.rows[value])
        cleaned["text"] = self._text(kind, cleaned.get("text") or "")
        return cleaned

    def _text(self, kind: str, text: str) -> str:
        """The text the kind keeps: an address, a reply as typed, or none for the kinds without text."""
        if kind == ActionKind.ADD_COLLABORATOR:
            try:
                validate_email(text.strip())
            except ValidationError:
                self.add_error("text", "Enter the collaborator's email address, e.g. someone@example.com.")
            return text.strip()
        if kind == ActionKind.CANNED_REPLY and not text.strip():
            self.add_error("text", "Enter the reply to send.")
        if kind == ActionKind.REJECT:
            return text.strip()
        return text if kind == ActionKind.CANNED_REPLY else ""


class RuleRows(BaseInlineFormSet):
    """Rows are kept in the order shown (their position); a row left empty is no row."""

    def save_in_order(self) -> None:
        rows = self.save(commit=False)
        for row in self.deleted_objects:
            row.delete()
        kept = [form.instance for form in self.forms if form.instance.pk or form.instance in rows]
        kept = [row for row in kept if row not in self.deleted_objects]
        for position, row in enumerate(kept):
            if row.pk is None or row in rows or row.position != position:
                row.position = position
                row.save()


ConditionFormSet = inlineformset_factory(
    FilterRule, RuleCondition, form=ConditionForm, formset=RuleRows, extra=EXTRA_ROWS, can_delete=True
)
ActionFormSet = inlineformset_factory(
    FilterRule, RuleAction, form=ActionForm, formset=RuleRows, extra=EXTRA_ROWS, can_delete=True
)

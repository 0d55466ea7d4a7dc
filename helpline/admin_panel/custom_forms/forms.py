"""The forms that build choice lists, custom forms and fields, each rule named on its field."""

from typing import Any

from django import forms

from helpline.custom_fields.models import CHOICE_KINDS, MAX_LONG_TEXT, MAX_TEXT, ChoiceList, Field, Form, Kind
from helpline.routing.models import HelpTopic, TopicForm
from helpline.tickets.models import FieldValue

MAX_CHOICES = 200
MAX_CHOICE_CHARS = 100


class ChoiceListForm(forms.ModelForm):
    choices_text = forms.CharField(
        label="Choices",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"One a line, in the order they are offered (at most {MAX_CHOICES}).",
        max_length=MAX_CHOICES * (MAX_CHOICE_CHARS + 1),
    )

    class Meta:
        model = ChoiceList
        fields = ["name"]
        error_messages = {"name": {"unique": "Another choice list has this name."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choices_text"].initial = "\n".join(self.instance.choices)

    def clean_choices_text(self) -> list[str]:
        choices: list[str] = []
        for line in self.cleaned_data["choices_text"].splitlines():
            choice = " ".join(line.split())
            if choice and choice not in choices:
                choices.append(choice)
        if not choices:
            raise forms.ValidationError("Give at least one choice.")
        if len(choices) > MAX_CHOICES or any(len(choice) > MAX_CHOICE_CHARS for choice in choices):
            raise forms.ValidationError(
                f"At most {MAX_CHOICES} choices of at most {MAX_CHOICE_CHARS} characters each."
            )
        return choices


class TopicsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name + ("" if obj.is_active else " (inactive)")


class CustomFormForm(forms.ModelForm):
    topics = TopicsField(
        queryset=HelpTopic.objects.order_by("full_name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Asked on these help topics",
        help_text="A ticket of one of these topics shows this form's fields.",
    )

    class Meta:
        model = Form
        fields = ["name", "is_active"]
        labels = {"is_active": "Active"}
        error_messages = {"name": {"unique": "Another form has this name."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["topics"].initial = list(
                TopicForm.objects.filter(form=self.instance).values_list("topic_id", flat=True)
            )


class FieldForm(forms.ModelForm):
    class Meta:
        model = Field
        fields = [
            "label",
            "key",
            "kind",
            "required",
            "is_public",
            "help_text",
            "choice_list",
            "max_length",
            "min_value",
            "max_value",
            "sort",
            "is_active",
        ]
        labels = {
            "kind": "Type",
            "is_public": "Seen by the requester",
            "sort": "Order",
            "is_active": "Active",
        }
        help_texts = {
            "choice_list": "Choice and multiple choice only: the choices offered.",
            "min_value": "Number only.",
            "max_value": "Number only.",
            "sort": "Fields are shown from the lowest number.",
        }
        error_messages = {"key": {"unique": "Another field has this key."}}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        stored = self.instance
        if stored.pk is not None and FieldValue.objects.filter(field=stored).exists():
            # Stored values are read by their type and named by the key (in saved queues and filters).
            for name in ("kind", "key"):
                if name in cleaned and cleaned[name] != Field.objects.values_list(name, flat=True).get(
                    pk=stored.pk
                ):
                    self.add_error(
                        name, "Fixed once tickets hold values of the field: make a new field instead."
                    )
        kind = cleaned.get("kind")
        if kind in CHOICE_KINDS and not cleaned.get("choice_list"):
            self.add_error("choice_list", "A choice field needs a choice list.")
        if kind not in CHOICE_KINDS and cleaned.get("choice_list"):
            self.add_error("choice_list", "Only a choice field offers a choice list.")
        limit = MAX_LONG_TEXT if kind == Kind.LONG_TEXT else MAX_TEXT
        if cleaned.get("max_length") and cleaned["max_length"] > limit:
            self.add_error("max_length", f"At most {limit} for this type.")
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", "The highest value must not be below the lowest.")
        return cleaned

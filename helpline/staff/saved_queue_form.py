"""The form that names a saved queue and chooses its columns (and, for administrators, shares it)."""

from django import forms

from helpline.people.models import Agent
from helpline.staff.field_columns import PREFIX, column_choices
from helpline.staff.models import SavedQueue
from helpline.staff.sorting import COLUMN_KEYS, COLUMNS


class SavedQueueForm(forms.Form):
    name = forms.CharField(max_length=60, label="Queue name")
    columns = forms.MultipleChoiceField(
        choices=COLUMNS, widget=forms.CheckboxSelectMultiple, label="Columns shown", required=False
    )
    shared = forms.BooleanField(
        required=False,
        label="Shared",
        help_text="In every agent's navigation (each sees only their tickets).",
    )

    def __init__(self, *args, agent: Agent, instance: SavedQueue | None = None, **kwargs):
        kwargs.setdefault("auto_id", "save-%s")
        if instance is not None:
            kwargs.setdefault(
                "initial", {"name": instance.name, "columns": instance.columns, "shared": instance.is_shared}
            )
        else:
            kwargs.setdefault("initial", {"columns": COLUMN_KEYS})
        super().__init__(*args, **kwargs)
        self.agent, self.instance = agent, instance
        if not agent.is_administrator:
            del self.fields["shared"]
        field = self.fields["columns"]
        field.choices = [*COLUMNS, *column_choices()]  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the queue a name.")
        same = SavedQueue.objects.for_agent(self.agent).filter(name__iexact=name)
        if self.instance is not None:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(f"You already have a queue named “{name}”.")
        return name

    def columns_in_order(self) -> list[str]:
        chosen = self.cleaned_data["columns"]
        fields = [key for key in chosen if key.startswith(PREFIX)]
        return [key for key in COLUMN_KEYS if key in chosen] + fields

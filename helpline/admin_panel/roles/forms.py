"""The role form: a name and the permissions, shown in groups a person reads at a glance."""

from django import forms

from helpline.people.models import Role
from helpline.people.permissions import Perm

# Every code of Perm, once, in the order and groups the form shows them (a test checks none is missing).
GROUPS = [
    ("Reading and answering", [Perm.VIEW, Perm.REPLY, Perm.NOTE]),
    ("Handing tickets out", [Perm.CLAIM, Perm.ASSIGN, Perm.TRANSFER]),
    ("Changing tickets", [Perm.STATUS, Perm.CLOSE, Perm.EDIT, Perm.MERGE]),
    ("Opening and deleting tickets", [Perm.CREATE, Perm.DELETE]),
]


class RoleForm(forms.ModelForm):
    class Meta:
        model = Role
        fields = ["name"]
        help_texts = {"name": "E.g. “Agent”, “Supervisor”, “Read only”."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        granted = set(self.instance.permissions or [])
        for title, perms in GROUPS:
            self.fields[_name(title)] = forms.MultipleChoiceField(
                label=title,
                choices=[(perm.value, perm.label) for perm in perms],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=[perm.value for perm in perms if perm.value in granted],
            )

    def groups(self) -> list[forms.BoundField]:
        return [self[_name(title)] for title, _ in GROUPS]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if Role.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another role already has this name.")
        return name

    def clean(self):
        cleaned = super().clean() or {}
        chosen = {code for title, _ in GROUPS for code in cleaned.get(_name(title), [])}
        self.instance.permissions = [code for code in Perm.values if code in chosen]
        return cleaned


def _name(title: str) -> str:
    return "perms_" + title.split()[0].lower()

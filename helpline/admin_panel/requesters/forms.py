"""The forms of the requester and organization pages: what an administrator types, checked."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower

from helpline.core.text import one_line
from helpline.people.models import Organization, Requester
from helpline.people.requesters import address_taken, normalize_email, requesters_by_email


def organization_named(name: str) -> Organization | None:
    """The organization of this name in any letter case, if there is one."""
    return Organization.objects.annotate(lname=Lower("name")).filter(lname=name.strip().lower()).first()


class RequesterForm(forms.ModelForm):
    # The organization by name: a list of every organization would not fit on the page at scale.
    organization_name = forms.CharField(
        label="Organization",
        max_length=200,
        required=False,
        help_text="The name of an existing organization. Blank: none.",
    )

    class Meta:
        model = Requester
        fields = ["name", "email", "phone", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.organization_id and not self.is_bound:
            self.initial["organization_name"] = self.instance.organization.name

    def clean_name(self) -> str:
        name = one_line(self.cleaned_data["name"], 200)
        if not name:
            raise ValidationError("A name is required.")
        return name

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if address_taken(email, besides=self.instance.pk):
            raise ValidationError("Another requester has this address (as their own or as an extra one).")
        return email

    def clean_phone(self) -> str:
        return one_line(self.cleaned_data["phone"], 40)

    def clean_organization_name(self) -> Organization | None:
        name = self.cleaned_data["organization_name"].strip()
        if not name:
            return None
        organization = organization_named(name)
        if organization is None:
            raise ValidationError("No organization has this name: create it first.")
        return organization

    def clean(self):
        cleaned = super().clean() or {}
        if "organization_name" in cleaned:
            self.instance.organization = cleaned["organization_name"]
        return cleaned

    def validate_unique(self):
        """The address is checked by ``clean_email`` (extra addresses too)."""


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name"]

    def clean_name(self) -> str:
        name = one_line(self.cleaned_data["name"], 200)
        if not name:
            raise ValidationError("A name is required.")
        found = organization_named(name)
        if found is not None and found.pk != self.instance.pk:
            raise ValidationError("An organization has this name already.")
        return name

    def validate_unique(self):
        """Checked by ``clean_name`` in any letter case."""


class MergeForm(forms.Form):
    into = forms.EmailField(
        label="Merge into the requester with the address",
        max_length=254,
        help_text="Their tickets, collaborations and messages move to that requester; this one is deleted.",
    )

    def __init__(self, *args, source: Requester, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_into(self) -> Requester:
        target = requesters_by_email(self.cleaned_data["into"]).first()
        if target is None:
            raise ValidationError("No requester has this address.")
        if target.pk == self.source.pk:
            raise ValidationError("That is this requester: choose another one.")
        return target


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns: name, email, phone, organization.")
    create_organizations = forms.BooleanField(
        label="Create the organizations the file names that do not exist yet", required=False
    )
    dry_run = forms.BooleanField(
        label="Dry run: check the file, import nothing", required=False, initial=True
    )

"""The form that edits a canned response, in the administration area (with a department) and on an agent's
own page. It validates input only; ``canned.changes`` decides who may keep what."""

from django import forms

from helpline.core.forms import MultipleFileField
from helpline.people.models import Department
from helpline.tickets.actions.base import MAX_BODY_CHARS
from helpline.tickets.canned.changes import variable_error
from helpline.tickets.models import CannedAttachment, CannedResponse


class CannedResponseForm(forms.ModelForm):
    body = forms.CharField(
        label="Text",
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Plain text, as the reply box takes it. Variables are written {{ requester.name }}.",
    )
    attachments = MultipleFileField(label="Add files", help_text="Sent with every reply that uses it.")
    remove = forms.ModelMultipleChoiceField(
        queryset=CannedAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Remove files",
    )

    class Meta:
        model = CannedResponse
        fields = ["title", "body", "is_active"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "canned-%s")
        super().__init__(*args, **kwargs)
        remove = self.fields["remove"]
        if self.instance.pk is None:
            del self.fields["remove"]
        else:
            remove.queryset = self.instance.attachments.all()  # type: ignore[attr-defined]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if (error := variable_error(body)) is not None:
            raise forms.ValidationError(error)
        return body

    def removed_ids(self) -> list[int]:
        return [attachment.pk for attachment in self.cleaned_data.get("remove") or ()]


class DepartmentCannedResponseForm(CannedResponseForm):
    """A department's response: the department is chosen too."""

    department = forms.ModelChoiceField(queryset=Department.objects.filter(is_active=True), empty_label=None)

    class Meta(CannedResponseForm.Meta):
        fields = ["title", "department", "body", "is_active"]

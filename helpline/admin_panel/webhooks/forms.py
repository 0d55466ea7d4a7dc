"""The form of a webhook: its name, URL, the events it is sent, and whether it is on (with what the page
showed of that, so that a box nobody touched does not undo a switch made meanwhile)."""

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError

from helpline.webhooks.events import EVENT_TYPES
from helpline.webhooks.models import Webhook


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label="URL",
        max_length=2000,
        assume_scheme="https",
        help_text="An http or https address on the internet. Private, loopback and link-local addresses are "
        "refused when the hook is sent, unless HELPLINE_WEBHOOK_ALLOWED_NETWORKS opens them.",
    )
    events = forms.MultipleChoiceField(
        choices=list(EVENT_TYPES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="A status change into a closed status is sent as both “Status changed” and “Closed”.",
    )
    # Whether "Active" was ticked when the page was written. Optional: a post without it (a script, a page
    # from before the field) gets "Active" applied as posted; anything but a boolean counts as without.
    is_active_shown = forms.NullBooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "is_active"]
        labels = {"is_active": "Active"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_active_shown"].initial = self.instance.is_active

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ValidationError("Only http:// and https:// addresses can receive webhooks.")
        if parts.username or parts.password:
            raise ValidationError(
                "Put no user name or password in the URL: the receiver checks the signature instead."
            )
        if not parts.hostname:
            raise ValidationError("The URL needs a host name.")
        return url

    def clean_events(self) -> list[str]:
        chosen = set(self.cleaned_data["events"])
        return [kind for kind in EVENT_TYPES if kind in chosen]

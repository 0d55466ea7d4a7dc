"""Forms of the requester portal: opening a ticket and replying on it. Anyone may post them, so every
field is bounded and the open form carries a honeypot (checked with its other guards in ``protection``)."""

from typing import cast

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from helpline.core.forms import MultipleFileField, time_zone_field
from helpline.core.whole_numbers import whole_number
from helpline.custom_fields.doors import topic_fields_attrs
from helpline.routing.forms import TopicChoiceField
from helpline.routing.models import HelpTopic
from helpline.tickets.actions.base import MAX_BODY_CHARS

HONEYPOT = "website"


def attachments_field() -> MultipleFileField:
    # Limits are read per form, not at import, so a changed setting shows in the help text.
    return MultipleFileField(
        label="Attachments",
        help_text=(
            f"Optional. Up to {settings.HELPLINE_MAX_ATTACHMENTS} files, "
            f"{filesizeformat(settings.HELPLINE_MAX_ATTACHMENT_BYTES)} each."
        ),
    )


def message_field() -> forms.CharField:
    return forms.CharField(
        label="Message",
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class OpenTicketForm(forms.Form):
    name = forms.CharField(
        label="Your name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Replies and your private link to the ticket are sent here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Phone (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    # Each topic right under its parent, named by its full name ("Hardware request / Monitor").
    topic = TopicChoiceField(
        label="Help topic",
        queryset=HelpTopic.objects.none(),
        empty_label="Choose a topic",
        error_messages={"invalid_choice": "Choose one of the topics offered."},
    )
    subject = forms.CharField(label="Subject", max_length=255)
    # People never see this field (it is moved off screen); form-filling bots tend to fill it in. A post
    # with it filled in is refused before the form is validated (portal/protection.py).
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The routing rows come with the chosen topic: opening the ticket reads them inside its transaction.
        cast(forms.ModelChoiceField, self.fields["topic"]).queryset = offered_topics().select_related(
            "department", "priority", "sla_plan", "status"
        )
        # Declared here so the message and attachments come after the subject, and read current limits.
        self.fields["message"] = message_field()
        self.fields["attachments"] = attachments_field()
        self.order_fields(["name", "email", "phone", "topic", "subject", "message", "attachments"])
        self.fields["topic"].widget.attrs.update(topic_fields_attrs(reverse("portal:topic_fields")))


def offered_topics():
    """The topics a requester may choose: a topic routing to a deactivated department would only be
    refused on posting, so it is not offered."""
    return HelpTopic.objects.filter(is_public=True, is_active=True, department__is_active=True)


def posted_topic(data) -> int | None:
    """The id of the offered topic named in ``data`` (a form's posted or asked values), else None."""
    if (topic_id := whole_number(data.get("topic", ""))) is None:
        return None
    return offered_topics().filter(pk=topic_id).values_list("pk", flat=True).first()


class ReplyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"] = message_field()
        self.fields["attachments"] = attachments_field()


class TicketLookupForm(forms.Form):
    """An address and a ticket number, checked for their form only: whether they match is not told here."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address you opened the ticket with, or were copied at.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    number = forms.CharField(
        label="Ticket number",
        max_length=21,
        help_text="It is in the subject of every email about the ticket, e.g. [#12345678].",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip().lstrip("#").strip()
        if not (number.isascii() and number.isdigit()) or len(number) > 20:
            raise forms.ValidationError("Enter the ticket number: digits only, e.g. 12345678.")
        return number


class TimeZoneForm(forms.Form):
    """The zone the requester reads the ticket's times in (ids prefixed: the reply form is on the page)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "zone-%s")
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = time_zone_field(help_text="Times on this page are shown in this zone.")

"""Forms of the staff panel. They validate input only; the ticket actions decide what is allowed.

Each form gives its controls ids with its own prefix (``reply-body``, ``assign-agent``) so several forms
share the ticket page without clashing, while the posted field names stay plain.
"""

from collections.abc import Sequence
from typing import cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from helpline.catalog.models import Priority, TicketStatus
from helpline.core.forms import MultipleFileField, time_zone_field
from helpline.core.rendering import QuietErrorList
from helpline.people.forms import AvailabilityForm
from helpline.people.models import Agent, Department, Team
from helpline.people.requesters import normalize_email
from helpline.routing.forms import TopicChoiceField
from helpline.routing.models import HelpTopic
from helpline.sla.models import SLAPlan
from helpline.staff.sso.refusal import refusal
from helpline.tickets.actions.base import MAX_BODY_CHARS
from helpline.tickets.models import Source

# Channels an agent records a ticket from; web and API tickets arrive through their own doors.
AGENT_SOURCES = [(value, label) for value, label in Source.choices if value not in (Source.WEB, Source.API)]
MAX_CC = 10


class StaffAuthenticationForm(AuthenticationForm):
    """The usual login, refused for people who have no agent profile (requesters, bare Django users)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "not_agent": "This account is not a Helpline agent account. Requesters use the client portal.",
    }

    def get_invalid_login_error(self) -> ValidationError:
        # A directory that accepted the password but names no agent (staff.sso.ldap) says so.
        reason = refusal(self.request)
        return ValidationError(reason, code="sso_refused") if reason else super().get_invalid_login_error()

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not hasattr(user, "agent"):
            raise ValidationError(self.error_messages["not_agent"], code="not_agent")


class PrefixedIdsForm(forms.Form):
    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        kwargs.setdefault("error_class", QuietErrorList)
        super().__init__(*args, **kwargs)


class VersionedForm(PrefixedIdsForm):
    """A form of the ticket page: it carries the ticket's version and the newest thread entry the page
    showed, which the views hand to the action (``tickets.conflicts``). Both are optional: a post without
    them is made as it comes."""

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def markers(self) -> SafeString:
        """The two hidden inputs as their widgets write them, without a template each: the ticket page
        carries fourteen of them."""
        fields = [self[name] for name in ("version", "seen")]
        return format_html_join(
            "",
            '<input type="hidden" name="{}"{} id="{}">',
            (
                (
                    field.html_name,
                    _value_attribute(field.field.widget.format_value(field.value())),
                    field.auto_id,
                )
                for field in fields
            ),
        )


def _value_attribute(value: str | None) -> SafeString:
    return format_html(' value="{}"', value) if value is not None else mark_safe("")


class MarkerForm(VersionedForm):
    """The version alone, for the one-button forms (take it, remove a CC)."""


def _status_field(statuses: QuerySet[TicketStatus] | None, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=statuses if statuses is not None else TicketStatus.objects, **kwargs
    )


class ReplyForm(VersionedForm):
    id_prefix = "reply"
    body = forms.CharField(label="Reply", widget=forms.Textarea, max_length=MAX_BODY_CHARS)
    attachments = MultipleFileField(label="Attachments")

    def __init__(self, *args, statuses: QuerySet[TicketStatus] | None = None, **kwargs):
        """``statuses`` narrows the choices shown; validation accepts every status and leaves the
        permission to the action, so a refused change is answered as one (403), not as a bad choice."""
        super().__init__(*args, **kwargs)
        self.fields["status"] = _status_field(
            statuses, required=False, label="Set status", empty_label="Keep the current status"
        )


class NoteForm(VersionedForm):
    id_prefix = "note"
    body = forms.CharField(label="Internal note", widget=forms.Textarea, max_length=MAX_BODY_CHARS)
    attachments = MultipleFileField(label="Attachments")


class AssignForm(VersionedForm):
    """An agent and/or a team; both empty unassigns. The "Assign to me" button posts ``me``."""

    id_prefix = "assign"
    agent = forms.ModelChoiceField(
        queryset=Agent.objects.filter(user__is_active=True).select_related("user"),
        required=False,
        empty_label="No agent",
    )

    def __init__(self, *args, offered: Sequence[Agent] | None = None, **kwargs):
        """``offered`` narrows the agents shown to those who work the ticket's department; validation
        accepts any active agent and leaves the decision to the action, as for the statuses."""
        super().__init__(*args, **kwargs)
        if offered is not None:
            cast(forms.ModelChoiceField, self.fields["agent"]).choices = [("", "No agent")] + [
                (agent.pk, str(agent)) for agent in offered
            ]

    team = forms.ModelChoiceField(
        queryset=Team.objects.filter(is_active=True), required=False, empty_label="No team"
    )
    me = forms.BooleanField(required=False, widget=forms.HiddenInput)


class TransferForm(VersionedForm):
    id_prefix = "transfer"
    department = forms.ModelChoiceField(queryset=Department.objects.filter(is_active=True), empty_label=None)


class PriorityForm(VersionedForm):
    id_prefix = "priority"
    priority = forms.ModelChoiceField(queryset=Priority.objects.all(), empty_label=None)


class SLAPlanForm(VersionedForm):
    id_prefix = "sla"
    sla_plan = forms.ModelChoiceField(
        queryset=SLAPlan.objects.filter(is_active=True),
        required=False,
        label="SLA plan",
        empty_label="No SLA plan",
    )


class StatusForm(VersionedForm):
    id_prefix = "status"

    def __init__(self, *args, statuses: QuerySet[TicketStatus] | None = None, **kwargs):
        """``statuses`` narrows the choices shown, as in ``ReplyForm``."""
        super().__init__(*args, **kwargs)
        self.fields["status"] = _status_field(statuses, empty_label=None)


class NewTicketForm(PrefixedIdsForm):
    """A ticket entered by an agent for a requester (phone call, walk-in, forwarded email)."""

    id_prefix = "new"
    email = forms.EmailField(label="Requester email")
    name = forms.CharField(label="Requester name", max_length=200, required=False)
    phone = forms.CharField(label="Requester phone", max_length=40, required=False)
    topic = TopicChoiceField(
        queryset=HelpTopic.objects.filter(is_active=True),
        required=False,
        label="Help topic",
        empty_label="No help topic",
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        empty_label="From the help topic",
        help_text=(
            "Required when no help topic is chosen. Left at your own department, the chosen topic's "
            "department applies; another choice overrides it."
        ),
    )
    # The department the form started at (the agent's primary one), to tell it from a choice.
    department_preset = forms.IntegerField(required=False, widget=forms.HiddenInput)
    source = forms.ChoiceField(choices=AGENT_SOURCES, initial=Source.PHONE)
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.all(), required=False, empty_label="From the help topic or the default"
    )
    subject = forms.CharField(max_length=255)
    body = forms.CharField(label="Message", widget=forms.Textarea, max_length=MAX_BODY_CHARS)
    attachments = MultipleFileField(label="Attachments")
    assign_to_me = forms.BooleanField(label="Assign to me", required=False)
    cc = forms.CharField(
        label="CC",
        max_length=2000,
        required=False,
        help_text=f"Email addresses to copy on the ticket, separated by commas (at most {MAX_CC}).",
    )

    def __init__(self, *args, departments: QuerySet[Department], **kwargs):
        """``departments``: where the agent may open tickets."""
        super().__init__(*args, **kwargs)
        department_field = cast(forms.ModelChoiceField, self.fields["department"])
        topic_field = cast(forms.ModelChoiceField, self.fields["topic"])
        department_field.queryset = departments
        topic_field.queryset = HelpTopic.objects.filter(
            is_active=True, department__in=departments
        ).select_related(
            "department", "priority", "sla_plan", "status"
        )  # read again when the ticket is opened

    def clean_cc(self) -> list[str]:
        """The addresses, normalized, each once (whatever its case)."""
        addresses: dict[str, str] = {}
        for raw in self.cleaned_data["cc"].split(","):
            if not raw.strip():
                continue
            try:
                address = normalize_email(raw)
            except ValidationError:
                raise ValidationError(
                    "%(address)s is not a valid email address.",
                    code="invalid",
                    params={"address": raw.strip()},
                ) from None
            addresses.setdefault(address.lower(), address)
        if len(addresses) > MAX_CC:
            raise ValidationError(f"Copy at most {MAX_CC} addresses.", code="too_many")
        return list(addresses.values())

    def clean(self):
        cleaned = super().clean() or {}
        department = cleaned.get("department")
        if (
            cleaned.get("topic")
            and department is not None
            and department.pk == cleaned.get("department_preset")
        ):
            cleaned["department"] = None  # left where the form started: the topic routes the ticket
        if not cleaned.get("topic") and not cleaned.get("department") and "department" not in self.errors:
            self.add_error("department", "Choose a department or a help topic.")
        return cleaned


class CollaboratorForm(VersionedForm):
    """Copy someone on the ticket: an existing requester by address, or a new one named here."""

    id_prefix = "cc"
    email = forms.EmailField(label="CC email")
    name = forms.CharField(label="CC name", max_length=200, required=False, help_text="For a new contact.")


class PreferencesForm(PrefixedIdsForm, AvailabilityForm):
    """What an agent sets for themselves: the time zone the staff panel shows times in, and whether they
    take new tickets automatically (away, on vacation)."""

    id_prefix = "prefs"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form: the desk's zone (the first choice) is read from the settings of the moment.
        self.fields["time_zone"] = time_zone_field(
            help_text="The staff panel shows every time in this zone.",
        )

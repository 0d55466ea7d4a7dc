"""The forms of the email channel's pages: a mailbox's settings, a banned sender, the received-mail filters.

Every rule an administrator can break is checked here and named on its field, so a refused form says what to
change; the database constraints behind them only catch what two administrators do at the same moment."""

import re
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q

from helpline.admin_panel.forms import DateRangeForm
from helpline.inbound.models import BannedAddress, Mailbox, RawMessage
from helpline.inbound.secrets import UnreadablePassword, decrypt_password
from helpline.people.models import Department
from helpline.routing.forms import TopicChoiceField
from helpline.routing.models import HelpTopic

Protocol, Security, AfterFetch = Mailbox.Protocol, Mailbox.Security, Mailbox.AfterFetch

# The standard ports: implicit TLS has its own, STARTTLS and plain connections share the protocol's old one.
DEFAULT_PORTS = {
    (Protocol.IMAP, Security.SSL): 993,
    (Protocol.IMAP, Security.STARTTLS): 143,
    (Protocol.IMAP, Security.NONE): 143,
    (Protocol.POP3, Security.SSL): 995,
    (Protocol.POP3, Security.STARTTLS): 110,
    (Protocol.POP3, Security.NONE): 110,
}
PORT_HELP = (
    "Empty: the standard port. IMAP: 993 with implicit TLS, 143 with STARTTLS or none. "
    "POP3: 995 with implicit TLS, 110 with STARTTLS or none."
)
HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+$|^\[?[0-9A-Fa-f:.]+\]?$")
NOTE_TAG = re.compile(r"^[A-Za-z0-9._-]*$")


def default_port(protocol: str, security: str) -> int | None:
    return DEFAULT_PORTS.get((Protocol(protocol), Security(security))) if protocol != Protocol.PIPE else None


class PasswordState:
    NONE, STORED, UNREADABLE = "none", "stored", "unreadable"


def password_state(mailbox: Mailbox) -> str:
    """Whether a password is stored and still readable with the current key (it is never shown)."""
    if not mailbox.password_encrypted:
        return PasswordState.NONE
    try:
        decrypt_password(mailbox.password_encrypted)
    except UnreadablePassword:
        return PasswordState.UNREADABLE
    return PasswordState.STORED


class MailboxForm(forms.ModelForm):
    """Every setting an administrator gives a mailbox. The password is write-only: the field is always
    empty, and left empty it keeps the stored one. ``is_default`` is not a model field of the form: making
    a mailbox the default takes the flag from the previous one, which ``changes.save_mailbox`` does."""

    password = forms.CharField(
        required=False,
        strip=False,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    port = forms.IntegerField(required=False, min_value=1, max_value=65535, help_text=PORT_HELP)
    fetch_every_minutes = forms.IntegerField(
        label="Fetch every (minutes)", min_value=1, max_value=1440, initial=5
    )
    is_default = forms.BooleanField(
        label="Default mailbox",
        required=False,
        help_text="Piped mail addressed to no mailbox (Bcc, aliases) goes through this one. "
        "Choosing it here takes the flag from the mailbox that has it now.",
    )

    class Meta:
        model = Mailbox
        fields = [
            "name",
            "address",
            "department",
            "topic",
            "protocol",
            "host",
            "port",
            "security",
            "username",
            "folder",
            "after_fetch",
            "move_to",
            "fetch_every_minutes",
            "cc_as_collaborators",
            "note_tag",
            "is_active",
        ]
        labels = {
            "protocol": "How mail arrives",
            "host": "Server",
            "security": "Connection security",
            "username": "User name",
            "after_fetch": "After fetching",
            "move_to": "Move to folder",
            "cc_as_collaborators": "Copied addresses become collaborators",
            "is_active": "Active",
        }
        help_texts = {
            "name": "How the mailbox is named here and on the record.",
            "address": "The address people write to, e.g. support@example.com.",
            "department": "Tickets opened from this mailbox's mail go to this department.",
            "host": "The IMAP or POP3 server's host name, e.g. imap.example.com.",
            "folder": "The IMAP folder to fetch; empty: INBOX. POP3 has only the inbox.",
            "is_active": "An inactive mailbox is not read.",
        }
        error_messages = {"name": {"unique": "Another mailbox already has this name."}}
        widgets = {
            "username": forms.TextInput(attrs={"autocomplete": "off"}),
            "port": forms.NumberInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mailbox = self.instance
        self.password_state = password_state(mailbox) if mailbox.pk else PasswordState.NONE
        self.fields["password"].help_text = {
            PasswordState.NONE: "Needed to fetch by IMAP or POP3. Stored encrypted, never shown.",
            PasswordState.STORED: "A password is stored (never shown). Leave this empty to keep it.",
            PasswordState.UNREADABLE: "The stored password cannot be read with the current key: enter it again.",
        }[self.password_state]
        self.fields["is_default"].initial = mailbox.is_default
        self.fields["folder"].required = False  # empty: the inbox
        # Active choices, and the mailbox's own even if it has since been deactivated.
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = Department.objects.filter(
            Q(is_active=True) | Q(pk=mailbox.department_id)
        )
        topic = TopicChoiceField(
            queryset=HelpTopic.objects.filter(Q(is_active=True) | Q(pk=mailbox.topic_id)).select_related(
                "department"
            ),
            label_of=lambda topic: f"{topic.department.name}: {topic.full_name}",
            required=False,
            label="Help topic",
            empty_label="None: the department's defaults",
            help_text="Optional: one of the department's topics, whose priority, SLA plan and assignment apply.",
        )
        self.fields["topic"] = topic
        port = default_port(mailbox.protocol, mailbox.security) if mailbox.pk else None
        if port:
            self.fields["port"].widget.attrs["placeholder"] = str(port)

    def clean_address(self) -> str:
        address = self.cleaned_data["address"].strip()
        clash = Mailbox.objects.filter(address__iexact=address).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise ValidationError(f"The mailbox “{clash.name}” already has this address.")
        return address

    def clean_host(self) -> str:
        host = self.cleaned_data["host"].strip()
        if host and not HOST.match(host):
            raise ValidationError(
                "Enter the server's host name only, e.g. imap.example.com (no imap://, no port)."
            )
        return host

    def clean_note_tag(self) -> str:
        tag = self.cleaned_data["note_tag"].strip()
        if not NOTE_TAG.match(tag):
            raise ValidationError(
                "Letters, digits, dots, hyphens and underscores only: it goes after the + in the address."
            )
        return tag

    def clean_folder(self) -> str:
        return self.cleaned_data["folder"].strip() or "INBOX"

    def clean_move_to(self) -> str:
        return self.cleaned_data["move_to"].strip()

    def clean(self):
        cleaned = super().clean() or {}
        self._check_topic(cleaned)
        if cleaned.get("protocol") in (Protocol.IMAP, Protocol.POP3):
            self._check_fetching(cleaned)
        if cleaned.get("is_default") and not cleaned.get("is_active"):
            self.add_error("is_default", "The default mailbox must be active.")
        return cleaned

    def _check_topic(self, cleaned: dict) -> None:
        topic, department = cleaned.get("topic"), cleaned.get("department")
        if topic is not None and department is not None and topic.department_id != department.pk:
            self.add_error(
                "topic",
                f"“{topic.name}” belongs to {topic.department.name}: choose one of {department.name}'s "
                "topics, or none.",
            )

    def _check_fetching(self, cleaned: dict) -> None:
        protocol, after = cleaned["protocol"], cleaned.get("after_fetch")
        if not cleaned.get("host"):
            self.add_error("host", "Enter the server to fetch from.")
        if not cleaned.get("username"):
            self.add_error("username", "Enter the user name to sign in to the server with.")
        if not cleaned.get("password") and self.password_state == PasswordState.NONE:
            self.add_error("password", "Enter the password to sign in to the server with.")
        elif not cleaned.get("password") and self.password_state == PasswordState.UNREADABLE:
            self.add_error("password", self.fields["password"].help_text)
        if protocol == Protocol.POP3 and after in (AfterFetch.MARK_READ, AfterFetch.MOVE):
            self.add_error(
                "after_fetch",
                "POP3 can neither mark messages read nor move them: choose “Delete from the server”, or IMAP.",
            )
        elif after == AfterFetch.MOVE:
            move_to = cleaned.get("move_to")
            if not move_to:
                self.add_error("move_to", "Name the folder to move fetched mail to.")
            elif move_to == cleaned.get("folder"):
                self.add_error("move_to", "Choose a folder other than the one mail is fetched from.")


class BannedAddressForm(forms.Form):
    pattern = forms.CharField(
        label="Address or @domain",
        max_length=254,
        help_text="someone@example.com for one sender, @example.com for everyone there.",
    )
    reason = forms.CharField(label="Reason", max_length=200, help_text="Why this sender is refused.")

    def clean_pattern(self) -> str:
        pattern = self.cleaned_data["pattern"].strip().lower()
        if "*" in pattern:
            raise ValidationError("No wildcards: write @example.com for every address at a domain.")
        try:
            # A domain is checked as the address of its postmaster: the same rules, one validator.
            validate_email(f"postmaster{pattern}" if pattern.startswith("@") else pattern)
        except ValidationError:
            raise ValidationError(
                "Enter an address (someone@example.com) or a domain starting with @ (@example.com)."
            ) from None
        if BannedAddress.objects.filter(pattern__iexact=pattern).exists():
            raise ValidationError(f"{pattern} is banned already.")
        return pattern


class BannedFilterForm(forms.Form):
    q = forms.CharField(
        label="Find", max_length=254, required=False, help_text="Part of an address or domain."
    )


NEEDS_ATTENTION, ANY_STATUS = "", "all"


class ReceivedFilterForm(DateRangeForm):
    """The received-mail filters. Without a status it shows what needs an administrator: the rejected and
    the failed messages."""

    status = forms.ChoiceField(
        choices=[
            (NEEDS_ATTENTION, "Needs attention (rejected or failed)"),
            (ANY_STATUS, "Any status"),
            *RawMessage.Status.choices,
        ],
        required=False,
    )
    mailbox = forms.ModelChoiceField(
        queryset=Mailbox.objects.all(), required=False, empty_label="Any mailbox"
    )
    sender = forms.CharField(max_length=254, required=False)

    field_order = ["status", "mailbox", "sender", "since", "until"]

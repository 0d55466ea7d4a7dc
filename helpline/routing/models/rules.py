"""Filter rules: ordered rules, each with conditions on what came in and actions on where it goes.

What a rule does is decided by ``routing.rules.decide`` from plain facts; the ticket actions apply it.
"""

from django.core.exceptions import ValidationError
from django.db import models

from helpline.core import configuration
from helpline.routing.matching import MAX_PATTERN_CHARS, PatternRefused, check_pattern


class Channel(models.TextChoices):
    """Where a ticket or message comes from. The same codes as ``tickets.models.Source``: routing sits below
    tickets and cannot import them, so it names them itself (a test keeps the two lists equal)."""

    WEB = "web", "Web portal"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    API = "api", "API"
    AGENT = "agent", "Agent (walk-in / other)"


class Event(models.TextChoices):
    TICKET = "ticket", "A new ticket"
    MESSAGE = "message", "A new message on a ticket"


class Match(models.TextChoices):
    ALL = "all", "All conditions match"
    ANY = "any", "Any condition matches"


class ConditionField(models.TextChoices):
    """What a condition looks at. ``CUSTOM_FIELD`` reads ``Facts.custom_fields`` by the condition's key: it
    is evaluated already, and is offered on the forms once tickets have custom fields."""

    SENDER_EMAIL = "sender_email", "Sender's email address"
    SENDER_NAME = "sender_name", "Sender's name"
    SENDER_DOMAIN = "sender_domain", "Sender's domain"
    SUBJECT = "subject", "Subject"
    BODY = "body", "Message text"
    TOPIC = "topic", "Help topic (its full name)"
    MAILBOX = "mailbox", "Recipient mailbox (its address)"
    HEADER = "header", "Email header"
    CUSTOM_FIELD = "custom_field", "Custom field"


KEYED_FIELDS = (ConditionField.HEADER, ConditionField.CUSTOM_FIELD)


class Operator(models.TextChoices):
    EQUALS = "equals", "equals"
    NOT_EQUALS = "not_equals", "does not equal"
    CONTAINS = "contains", "contains"
    NOT_CONTAINS = "not_contains", "does not contain"
    STARTS_WITH = "starts_with", "starts with"
    ENDS_WITH = "ends_with", "ends with"
    ONE_OF = "one_of", "is one of (one per line)"
    REGEX = "regex", "matches the regular expression"


class ActionKind(models.TextChoices):
    REJECT = "reject", "Reject (with the reply text, if any)"
    SET_DEPARTMENT = "set_department", "Set the department"
    SET_TOPIC = "set_topic", "Set the help topic"
    SET_PRIORITY = "set_priority", "Set the priority"
    SET_SLA_PLAN = "set_sla_plan", "Set the SLA plan"
    SET_STATUS = "set_status", "Set the status"
    ASSIGN_AGENT = "assign_agent", "Assign to an agent"
    ASSIGN_TEAM = "assign_team", "Assign to a team"
    ADD_COLLABORATOR = "add_collaborator", "Add a collaborator (the address in the text)"
    CANNED_REPLY = "canned_reply", "Send a canned reply (the text)"
    SUPPRESS_AUTOREPLY = "suppress_autoreply", "Send no automatic reply"
    STOP = "stop", "Stop processing later rules"


# The row each kind of action names, by the name of its foreign key; the other kinds name none.
TARGET_FIELDS = {
    ActionKind.SET_DEPARTMENT: "department",
    ActionKind.SET_TOPIC: "topic",
    ActionKind.SET_PRIORITY: "priority",
    ActionKind.SET_SLA_PLAN: "sla_plan",
    ActionKind.SET_STATUS: "status",
    ActionKind.ASSIGN_AGENT: "agent",
    ActionKind.ASSIGN_TEAM: "team",
}
TEXT_KINDS = (ActionKind.REJECT, ActionKind.ADD_COLLABORATOR, ActionKind.CANNED_REPLY)
MAX_VALUE_CHARS = 4000
MAX_TEXT_CHARS = 20000


class FilterRule(models.Model):
    name = models.CharField(max_length=120, unique=True)
    order = models.PositiveIntegerField(default=0, help_text="Rules run from the lowest order up.")
    is_active = models.BooleanField(default=True)
    channels = models.JSONField(default=list, blank=True, help_text="Channel codes the rule runs on.")
    on_messages = models.BooleanField(
        default=False, help_text="Also run on every new message of an existing ticket."
    )
    match = models.CharField(max_length=3, choices=Match.choices, default=Match.ALL)
    stop_processing = models.BooleanField(
        default=False, help_text="When this rule matches, later rules do not run."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        unknown = set(self.channels or ()) - set(Channel.values)
        if not isinstance(self.channels, list) or unknown:
            raise ValidationError({"channels": "Choose channels from the list."})

    def runs_on(self, channel: str, event: str) -> bool:
        return (
            self.is_active
            and channel in self.channels
            and (event == Event.TICKET or (event == Event.MESSAGE and self.on_messages))
        )


class RuleCondition(models.Model):
    rule = models.ForeignKey(FilterRule, on_delete=models.CASCADE, related_name="conditions")
    field = models.CharField(max_length=20, choices=ConditionField.choices)
    key = models.CharField(
        max_length=200, blank=True, help_text="The header's name (or the custom field's), for those only."
    )
    operator = models.CharField(max_length=20, choices=Operator.choices)
    value = models.TextField(max_length=MAX_VALUE_CHARS)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        key = f" {self.key}" if self.field in KEYED_FIELDS else ""
        return f"{self.get_field_display()}{key} {self.get_operator_display()} “{self.value}”"

    def clean(self) -> None:
        super().clean()
        if self.field in KEYED_FIELDS and not self.key.strip():
            raise ValidationError({"key": "Name the header (or field) to look at."})
        if self.operator == Operator.REGEX and self.value:  # an empty value is the field's own error
            if len(self.value) > MAX_PATTERN_CHARS:
                raise ValidationError(
                    {"value": f"A regular expression has at most {MAX_PATTERN_CHARS} characters."}
                )
            try:
                check_pattern(self.value)
            except PatternRefused as refused:
                raise ValidationError({"value": str(refused)}, code="pattern_refused") from None


class RuleAction(models.Model):
    """One thing a matching rule does. The row it names is in the foreign key of its kind
    (``TARGET_FIELDS``); the administration form sees that the kind's row or text is given."""

    rule = models.ForeignKey(FilterRule, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(
        "routing.HelpTopic", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    priority = models.ForeignKey(
        "catalog.Priority", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sla_plan = models.ForeignKey(
        "sla.SLAPlan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.ForeignKey(
        "catalog.TicketStatus", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        "people.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True, max_length=MAX_TEXT_CHARS)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        target = self.target
        if target is not None:
            return f"{self.get_kind_display()}: {target}"
        return f"{self.get_kind_display()}: “{self.text}”" if self.text else self.get_kind_display()

    @property
    def target(self) -> models.Model | None:
        """The row the action names (a department, a topic, ...), or None for the kinds that name none."""
        name = TARGET_FIELDS.get(ActionKind(self.kind)) if self.kind in ActionKind.values else None
        return getattr(self, name) if name else None


# Whether any rule is active is kept in each process (``routing.rules.active_rules``) until one changes.
configuration.track(FilterRule, columns=["is_active"])

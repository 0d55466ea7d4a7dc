"""The rows an administrator builds: choice lists, forms and their fields."""

from django.core.validators import RegexValidator
from django.db import models

# A text value is kept in an indexed column of this size; long text has its own unindexed column.
MAX_TEXT = 255
MAX_LONG_TEXT = 10_000
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


class Kind(models.TextChoices):
    TEXT = "text", "Text"
    LONG_TEXT = "long_text", "Long text"
    CHOICE = "choice", "Choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    DATE = "date", "Date"
    NUMBER = "number", "Number"
    CHECKBOX = "checkbox", "Checkbox"
    EMAIL = "email", "Email address"
    PHONE = "phone", "Phone number"


CHOICE_KINDS = (Kind.CHOICE, Kind.MULTIPLE_CHOICE)


class ChoiceList(models.Model):
    """Choices several fields offer (departments' sites, device types), kept in their order."""

    name = models.CharField(max_length=100, unique=True)
    # The choices in the order they are offered; each is also the stored value.
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Form(models.Model):
    """A named group of fields, attached to help topics (``routing.TopicForm``)."""

    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True, help_text="An inactive form is shown nowhere.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Field(models.Model):
    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="fields")
    label = models.CharField(max_length=100)
    key = models.CharField(
        max_length=40,
        unique=True,
        validators=[RegexValidator(KEY_PATTERN, "Lower-case letters, digits and “_”, a letter first.")],
        help_text="How filters and columns name the field (field:key=value). Lower-case letters, digits, “_”.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(default=False)
    is_public = models.BooleanField(
        "seen by the requester",
        default=True,
        help_text="Shown to requesters in the portal; otherwise internal: agents only.",
    )
    help_text = models.CharField(max_length=300, blank=True)
    max_length = models.PositiveIntegerField(
        null=True, blank=True, help_text=f"Text only: at most {MAX_TEXT} (long text {MAX_LONG_TEXT})."
    )
    min_value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    max_value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    choice_list = models.ForeignKey(
        ChoiceList, null=True, blank=True, on_delete=models.PROTECT, related_name="fields"
    )
    sort = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["form", "sort", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def choices(self) -> list[str]:
        return list(self.choice_list.choices) if self.choice_list is not None else []

    @property
    def text_limit(self) -> int:
        limit = MAX_LONG_TEXT if self.kind == Kind.LONG_TEXT else MAX_TEXT
        return min(self.max_length or limit, limit)

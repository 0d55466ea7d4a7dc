"""Shared rows with no domain: the rate limits' buckets."""

from django.db import models

from helpline.core import configuration


class Throttle(models.Model):
    """One client's budget for one kind of request (see ``core.throttle``)."""

    scope = models.CharField(max_length=50, help_text="The kind of request counted, e.g. portal.open-ticket.")
    key = models.CharField(max_length=64, help_text="A keyed hash of the client's address (not the address).")
    # Milliseconds since the epoch at which the whole budget is back; any moment before now: all of it is.
    refilled_at = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="throttle_scope_key")]
        indexes = [models.Index(fields=["refilled_at"], name="throttle_refilled")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:12]}"


class DateFormat(models.TextChoices):
    """How a day is written everywhere (``core.timefmt.format_date``)."""

    DAY_MONTH_YEAR = "d_mon_y", "1 Dec 2026"
    ISO = "iso", "2026-12-01"
    DAY_FIRST = "dmy", "01/12/2026"
    MONTH_FIRST = "mdy", "12/01/2026"


class DeskSettings(models.Model):
    """The desk-wide settings an administrator changes (``core.desk`` reads them, once per request). One
    row, pk 1; until it is saved the defaults hold. A blank number means the deployment's setting, which
    is also the ceiling: the server's own limits (request size, file count) are set there."""

    desk_name = models.CharField(
        "help desk name",
        max_length=60,
        default="Helpline",
        help_text="Shown in the pages' header and titles.",
    )
    time_zone = models.CharField(
        "default time zone",
        max_length=64,
        blank=True,
        help_text="The zone of people who have not chosen one. Blank: the deployment's (TIME_ZONE).",
    )
    date_format = models.CharField(
        max_length=10, choices=DateFormat.choices, default=DateFormat.DAY_MONTH_YEAR
    )
    ticket_number_digits = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Digits of new ticket numbers (6 to 20). Blank: the deployment's."
    )
    max_attachment_bytes = models.PositiveIntegerField(null=True, blank=True)
    max_attachments = models.PositiveSmallIntegerField(null=True, blank=True)
    allowed_extensions = models.CharField(
        max_length=500,
        blank=True,
        help_text="File name endings accepted, e.g. “pdf png jpg docx”. Blank: any type not refused anyway.",
    )
    portal_open_tickets = models.BooleanField(
        "requesters open tickets in the portal",
        default=True,
        help_text="Off: the portal's form is closed; requesters write by email, agents open tickets for them.",
    )
    reopen_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For how many days after closing a requester's reply reopens a closed ticket (0: never; "
        "later replies open a new ticket). Blank: the deployment's (HELPLINE_EMAIL_REOPEN_DAYS).",
    )

    class Meta:
        verbose_name_plural = "desk settings"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="desk_settings_single_row")]

    def __str__(self) -> str:
        return "Desk settings"


class ConfigurationVersion(models.Model):
    """One row whose token database triggers change with every change of a tracked configuration table
    (``core.configuration``): each process keeps those rows until the token moves."""

    token = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Configuration version {self.token}"


configuration.track(DeskSettings)

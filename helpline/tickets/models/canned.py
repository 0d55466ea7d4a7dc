"""Canned responses: texts an agent inserts into a reply, a department's (kept by administrators) or an
agent's own, with files that go out with the reply."""

import uuid

from django.db import models


class CannedResponse(models.Model):
    """Exactly one of ``department`` (shared by the agents who answer its tickets) and ``owner`` (the agent's
    own) is set. Deactivated, never deleted from the administration area: it is simply offered no more."""

    title = models.CharField(max_length=200)
    # Plain text, like the reply box it goes into, with ``{{ variable }}`` placeholders (``canned.variables``).
    body = models.TextField()
    department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "people.Agent", null=True, blank=True, on_delete=models.CASCADE, related_name="canned_responses"
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=True, owner__isnull=False)
                | models.Q(department__isnull=False, owner__isnull=True),
                name="canned_department_or_owner",
            )
        ]
        # The ticket page reads the active responses of a few departments and of one agent, by title.
        indexes = [
            models.Index(fields=["department", "is_active", "title"], name="canned_department"),
            models.Index(fields=["owner", "is_active", "title"], name="canned_owner"),
        ]

    def __str__(self) -> str:
        return self.title


def canned_attachment_path(instance: "CannedAttachment", filename: str) -> str:
    # As for ticket attachments: the stored name never comes from the uploader.
    return f"canned/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}"


class CannedAttachment(models.Model):
    """A file sent with a canned response; copied onto the reply's entry when it is sent (so deleting the
    ticket or the response leaves the other's file in place)."""

    response = models.ForeignKey(CannedResponse, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=canned_attachment_path, max_length=200)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename

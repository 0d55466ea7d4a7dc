"""Files attached to thread entries, kept through Django's storage API."""

import uuid

from django.db import models


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never comes from the uploader: a random name under a dated folder, directly under
    # MEDIA_ROOT (which is already the data directory's attachments/).
    return f"{instance.created_at:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    entry = models.ForeignKey("tickets.ThreadEntry", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(max_length=255, help_text="The sanitized name shown and offered on download.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # An image an email shows in its text (``<img src="cid:...">``): shown in place, not only listed.
    content_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename

"""Storing uploaded files on a thread entry."""

import hashlib
import mimetypes
from collections.abc import Sequence
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile

from helpline.core.sanitize import clean_filename
from helpline.core.uploads import validate_uploads
from helpline.tickets.models import Attachment, ThreadEntry


def store_attachments(entry: ThreadEntry, files: Sequence[UploadedFile], at: datetime) -> list[Attachment]:
    """Validate (size, count, type) and save each file through the storage API. Raises ValidationError."""
    if not files:
        return []
    validate_uploads(files)
    stored = []
    for upload in files:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        name = clean_filename(upload.name or "")
        attachment = Attachment(
            entry=entry,
            filename=name,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            created_at=at,
            # The type is derived from the cleaned name, never taken from the uploader's claim.
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            # Set by the email intake on an image its message shows in place (cid:).
            content_id=str(getattr(upload, "content_id", ""))[:255],
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored

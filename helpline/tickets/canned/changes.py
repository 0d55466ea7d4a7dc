"""Creating, changing and deactivating canned responses. A department's responses are kept by
administrators, each change on the audit log; an agent keeps their own. Files are checked as any attached
file is (``core.uploads``) and removed from storage only once the change has committed."""

import hashlib
import mimetypes
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from helpline.audit.log import record
from helpline.core.sanitize import clean_filename
from helpline.core.uploads import validate_uploads
from helpline.people.models import Agent
from helpline.tickets.canned.variables import unknown_variables
from helpline.tickets.models import CannedAttachment, CannedResponse
from helpline.tickets.policy import NotAllowed

TARGET_TYPE = "canned_response"


def require_keeper(actor: Agent, response: CannedResponse) -> None:
    """Administrators keep the departments' responses; each agent their own."""
    if not actor.is_active:
        raise NotAllowed("Only active agents keep canned responses.")
    if response.department_id is not None:
        if not actor.is_administrator:
            raise NotAllowed("Only Helpline administrators change a department's canned responses.")
    elif response.owner_id != actor.pk:
        raise NotAllowed("Agents change only their own canned responses.")


def variable_error(body: str) -> str | None:
    """Why the text cannot be saved for the variables it names, or None."""
    unknown = unknown_variables(body)
    if not unknown:
        return None
    names = ", ".join("{{ " + name + " }}" for name in unknown)
    return f"Unknown variable{'s' if len(unknown) > 1 else ''}: {names}. Use only the variables listed."


def save_response(
    *,
    actor: Agent,
    response: CannedResponse,
    uploads: Sequence[UploadedFile] = (),
    remove: Sequence[int] = (),
) -> bool:
    """Create ``response`` (no pk) or store what a form put on it, adding ``uploads`` and removing the
    attachments with the ids in ``remove``. Returns whether anything changed. Raises NotAllowed, and
    ValidationError for an unknown variable or a file that may not be attached."""
    require_keeper(actor, response)
    if (error := variable_error(response.body)) is not None:
        raise ValidationError({"body": error})
    now = timezone.now()
    with transaction.atomic():
        creating = response.pk is None
        before: dict[str, Any] = {}
        if not creating:
            locked = CannedResponse.objects.select_for_update(of=("self",)).select_related("department")
            stored = locked.get(pk=response.pk)
            require_keeper(actor, stored)  # as stored, not only as posted
            before = _snapshot(stored)
        kept = 0 if creating else response.attachments.exclude(pk__in=remove).count()
        if uploads:
            validate_uploads([*uploads])
            if kept + len(uploads) > _limit():
                raise ValidationError(f"A canned response has at most {_limit()} files.")
        response.updated_at = now
        if creating:
            response.created_at = now
        response.save()
        gone = _remove(response, remove)
        for upload in uploads:
            _store(response, upload, now)
        after = _snapshot(response)
        change = {key: value for key, value in after.items() if before.get(key) != value}
        if not change and not gone:
            return False
        if response.department_id is not None:
            action = "canned_response.created" if creating else "canned_response.changed"
            data = (
                {"after": after} if creating else {"before": {k: before[k] for k in change}, "after": change}
            )
            _record(actor, action, response, data)
    return True


def deactivate_response(*, actor: Agent, response_id: int) -> bool:
    """Offer the response no more. Returns False when it was inactive already. Raises NotAllowed and
    CannedResponse.DoesNotExist."""
    with transaction.atomic():
        response = CannedResponse.objects.select_for_update().get(pk=response_id)
        require_keeper(actor, response)
        if not response.is_active:
            return False
        response.is_active = False
        response.updated_at = timezone.now()
        response.save(update_fields=["is_active", "updated_at"])
        if response.department_id is not None:
            data = {"before": {"is_active": True}, "after": {"is_active": False}}
            _record(actor, "canned_response.deactivated", response, data)
    return True


def _limit() -> int:
    return settings.HELPLINE_MAX_ATTACHMENTS


def _snapshot(response: CannedResponse) -> dict[str, Any]:
    department = response.department
    return {
        "title": response.title,
        "body": response.body,
        "department": {"id": department.pk, "name": department.name} if department else None,
        "is_active": response.is_active,
        "attachments": sorted(response.attachments.values_list("filename", flat=True)),
    }


def _store(response: CannedResponse, upload: UploadedFile, at) -> CannedAttachment:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = clean_filename(upload.name or "")
    attachment = CannedAttachment(
        response=response,
        filename=name,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        created_at=at,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


def _remove(response: CannedResponse, ids: Sequence[int]) -> int:
    doomed = list(response.attachments.filter(pk__in=ids))
    files = [(attachment.file.storage, attachment.file.name) for attachment in doomed if attachment.file.name]
    for attachment in doomed:
        attachment.delete()

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return len(doomed)


def _record(actor: Agent, action: str, response: CannedResponse, data: dict[str, Any]) -> None:
    record(
        actor=actor,
        action=action,
        target_type=TARGET_TYPE,
        target_id=response.pk,
        target_repr=f"{response.title} ({response.department})",
        data=data,
    )

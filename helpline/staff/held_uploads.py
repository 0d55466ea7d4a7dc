"""Files of a reply or a note shown again instead of posted: kept, so the agent need not attach them again.

A reply held back because others wrote meanwhile (or a form refused because the page was old) comes back
with what the agent typed; a browser cannot put files back into a file input, so the files are kept here,
for that agent and ticket, and the form shown again lists them, each with a box ticked to keep it. Posting
the form again sends the ticked ones with whatever is attached anew (checked again as any attachment);
then they are removed. Files nobody posted are removed after a day (``prune``).
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from helpline.core.whole_numbers import whole_number
from helpline.people.models import Agent
from helpline.staff.models import HeldUpload
from helpline.tickets.models import Ticket

FIELD = "held_upload"  # the form's boxes: one per file kept, its id as value
KEPT_FOR = timedelta(days=1)


def hold(agent: Agent, ticket: Ticket, files: Sequence[UploadedFile]) -> list[HeldUpload]:
    """Keep these files (already checked by the form) for the agent's next post on the ticket."""
    now = timezone.now()
    held = []
    for upload in files:
        row = HeldUpload(
            agent=agent,
            ticket=ticket,
            filename=upload.name or "file",
            content_type=upload.content_type or "application/octet-stream",
            size=upload.size or 0,
            created_at=now,
        )
        upload.seek(0)
        row.file.save(row.filename, upload, save=False)
        row.save()
        held.append(row)
    return held


def chosen(agent: Agent, ticket: Ticket, data: QueryDict) -> list[HeldUpload]:
    """The kept files the post ticks: the agent's own for this ticket, within the day; others' ids and
    anything not a number are ignored."""
    ids = [pk for value in data.getlist(FIELD) if (pk := whole_number(value)) is not None]
    if not ids:
        return []
    since = timezone.now() - KEPT_FOR
    return list(HeldUpload.objects.filter(pk__in=ids, agent=agent, ticket=ticket, created_at__gte=since))


def keep_for_again(
    agent: Agent, ticket: Ticket, data: QueryDict, files: Sequence[UploadedFile]
) -> list[HeldUpload]:
    """What the form shown again carries: the kept files still ticked, and those just attached."""
    return chosen(agent, ticket, data) + hold(agent, ticket, files)


@contextmanager
def opened(held: Sequence[HeldUpload]) -> Iterator[list[UploadedFile]]:
    """The kept files as uploads for the action (which checks and stores them as any attachment)."""
    uploads = [
        UploadedFile(
            file=row.file.storage.open(str(row.file.name), "rb"),
            name=row.filename,
            content_type=row.content_type,
            size=row.size,
        )
        for row in held
    ]
    try:
        yield uploads
    finally:
        for upload in uploads:
            upload.close()


def remove(held: Sequence[HeldUpload]) -> None:
    """Once posted (or abandoned): the rows now, their files when the transaction commits."""
    files = [(row.file.storage, row.file.name) for row in held if row.file.name]
    HeldUpload.objects.filter(pk__in=[row.pk for row in held]).delete()

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


def prune(now=None) -> int:
    """Remove what was kept longer than a day (the periodic task)."""
    stale = list(HeldUpload.objects.filter(created_at__lt=(now or timezone.now()) - KEPT_FOR)[:500])
    remove(stale)
    return len(stale)

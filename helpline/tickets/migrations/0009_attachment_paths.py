"""Attachments used to be stored under attachments/attachments/YYYY/MM/ (MEDIA_ROOT is the data directory's
attachments/ and the upload path began with attachments/ again). Move each file up one level, to
attachments/YYYY/MM/, and update its row.

Safe to run again and to resume after a crash: each file is moved before its row is updated, one row at a
time, outside a transaction; a row whose file is already at the new place only has its name updated; a
file that is in neither place is logged and its row left as it was."""

import logging
import os
import re

from django.core.files.storage import FileSystemStorage
from django.db import migrations

log = logging.getLogger("helpline.tickets.migrations")
OLD_PREFIX = "attachments/"
NEW_LAYOUT = r"^[0-9]{4}/[0-9]{2}/"


def _move(storage, old: str, new: str) -> None:
    if isinstance(storage, FileSystemStorage):
        target = storage.path(new)
        os.makedirs(os.path.dirname(target), mode=storage.directory_permissions_mode or 0o777, exist_ok=True)
        os.replace(storage.path(old), target)
        return
    with storage.open(old, "rb") as source:
        saved = storage.save(new, source)
    if saved != new:  # the storage chose another name: keep the original where the row points
        storage.delete(saved)
        raise RuntimeError(f"Storage would not save {new!r} under its own name")
    storage.delete(old)


def relocate(apps, rows, rename) -> None:
    Attachment = apps.get_model("tickets", "Attachment")
    storage = Attachment._meta.get_field("file").storage
    for pk, old in rows(Attachment.objects).values_list("pk", "file").iterator():
        new = rename(old)
        old_exists, new_exists = storage.exists(old), storage.exists(new)
        if old_exists and new_exists:
            log.warning("Attachment %s: both %s and %s exist; left as it is", pk, old, new)
            continue
        if not old_exists and not new_exists:
            log.warning("Attachment %s: file %s is missing; skipped", pk, old)
            continue
        if old_exists:
            _move(storage, old, new)
        else:
            log.info("Attachment %s: %s was moved already; updating its row", pk, new)
        Attachment.objects.filter(pk=pk).update(file=new)
    if isinstance(storage, FileSystemStorage):
        _prune_empty_folders(storage.path(OLD_PREFIX))


def _prune_empty_folders(root: str) -> None:
    """Remove the folders the moves emptied (bottom-up); anything still holding a file stays."""
    if not os.path.isdir(root):
        return
    for folder, _, _ in sorted(os.walk(root), key=lambda walked: -len(walked[0])):
        try:
            os.rmdir(folder)
        except OSError:
            pass  # not empty


def move_up(apps, schema_editor):
    relocate(apps, lambda rows: rows.filter(file__startswith=OLD_PREFIX), lambda name: name[len(OLD_PREFIX) :])


def move_back(apps, schema_editor):
    relocate(apps, lambda rows: rows.filter(file__regex=NEW_LAYOUT), lambda name: OLD_PREFIX + name)


class Migration(migrations.Migration):
    # Files cannot roll back with a transaction: each row is updated (and committed) right after its move.
    atomic = False

    dependencies = [
        ("tickets", "0008_event_payloads"),
    ]

    operations = [
        migrations.RunPython(move_up, move_back),
    ]

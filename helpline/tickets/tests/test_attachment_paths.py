"""Attachment files sit directly under the data directory's attachments/YYYY/MM/, and the files stored
before under attachments/attachments/ are moved there by the tickets migration 0009, still downloadable."""

import importlib
import logging
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpline.tickets.actions import add_note
from helpline.tickets.models import Attachment

MIGRATION = importlib.import_module("helpline.tickets.migrations.0009_attachment_paths")
BEFORE = "0008_event_payloads"


def staff_download(agent, attachment) -> bytes:
    client = Client()
    client.force_login(agent.user)
    response = client.get(reverse("staff:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def stored_the_old_way(entry, name: str, content: bytes) -> Attachment:
    """An attachment as the code before 0006 stored it: attachments/YYYY/MM/<hex> inside MEDIA_ROOT."""
    saved = default_storage.save(name, ContentFile(content))
    assert saved == name
    return Attachment.objects.create(
        entry=entry,
        file=saved,
        filename="report.txt",
        content_type="text/plain",
        size=len(content),
        sha256="0" * 64,
        created_at=timezone.now(),
    )


def test_a_new_attachment_is_stored_under_year_and_month(ticket, sam):
    entry = add_note(
        actor=sam, ticket=ticket, body="File", attachments=[ContentFile(b"the report", name="report.txt")]
    )
    attachment = entry.attachments.get()
    assert re.fullmatch(r"[0-9]{4}/[0-9]{2}/[0-9a-f]{32}", attachment.file.name), attachment.file.name
    assert (Path(settings.MEDIA_ROOT) / attachment.file.name).read_bytes() == b"the report"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_attachment_stored_before_the_change_is_downloadable_after_the_migration(ticket, sam, migrator):
    # The schema is as it was then: its rows are written with the models as they were then.
    then = migrator.to(("tickets", BEFORE))
    entry_id = then.get_model("tickets", "ThreadEntry").objects.get(ticket_id=ticket.pk, kind="message").pk
    name = "attachments/2025/03/0123456789abcdef0123456789abcdef"
    assert default_storage.save(name, ContentFile(b"from 2025")) == name
    old_id = (
        then.get_model("tickets", "Attachment")
        .objects.create(
            entry_id=entry_id,
            file=name,
            filename="report.txt",
            content_type="text/plain",
            size=9,
            sha256="0" * 64,
            created_at=timezone.now(),
        )
        .pk
    )

    migrator.to_latest()  # this migration and those after it

    old = Attachment.objects.get(pk=old_id)
    assert old.file.name == "2025/03/0123456789abcdef0123456789abcdef"
    assert staff_download(sam, old) == b"from 2025"
    media = Path(settings.MEDIA_ROOT)
    assert (media / "2025/03/0123456789abcdef0123456789abcdef").exists()
    assert not (media / "attachments").exists()  # the emptied old folders are gone


def test_running_the_move_again_skips_what_moved_and_logs_what_is_missing(ticket, sam, caplog):
    entry = ticket.entries.get(kind="message")
    moved = stored_the_old_way(entry, "2025/04/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", b"moved already")
    # A crash between the move and the row's update leaves the file moved and the row behind.
    half = stored_the_old_way(entry, "2025/04/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", b"half done")
    Attachment.objects.filter(pk=half.pk).update(file="attachments/2025/04/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
    gone = stored_the_old_way(entry, "attachments/2025/04/cccccccccccccccccccccccccccccccc", b"lost")
    default_storage.delete(gone.file.name)

    with caplog.at_level(logging.INFO, logger="helpline.tickets.migrations"):
        MIGRATION.move_up(apps, None)

    names = dict(Attachment.objects.values_list("pk", "file"))
    assert names[moved.pk] == "2025/04/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    assert names[half.pk] == "2025/04/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
    assert names[gone.pk] == "attachments/2025/04/cccccccccccccccccccccccccccccccc"
    assert staff_download(sam, Attachment.objects.get(pk=half.pk)) == b"half done"
    assert f"Attachment {half.pk}: 2025/04/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb was moved already" in caplog.text
    assert f"Attachment {gone.pk}: file attachments/2025/04/cccccccccccccccccccccccccccccccc is missing" in (
        caplog.text
    )
    assert moved.pk not in {record.args[0] for record in caplog.records if record.args}  # untouched

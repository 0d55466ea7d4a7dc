"""Attachments posted with replies and notes: stored when acceptable, refused with 400 and nothing kept."""

import pytest
from django.urls import reverse

from helpline.tickets.models import Attachment, EntryKind


def url(name: str, ticket) -> str:
    return reverse(f"staff:{name}", args=[ticket.number])


@pytest.mark.parametrize("operation,kind", [("reply", EntryKind.RESPONSE), ("note", EntryKind.NOTE)])
def test_attachments_are_stored_on_the_entry(sam_client, ticket, upload, operation, kind):
    files = [upload("a.txt", b"first"), upload("b.png", b"\x89PNG", "image/png")]
    response = sam_client.post(url(operation, ticket), {"body": "See attached.", "attachments": files})
    assert response.status_code == 302
    stored = ticket.entries.get(kind=kind).attachments.order_by("filename")
    assert [(a.filename, a.size) for a in stored] == [("a.txt", 5), ("b.png", 4)]


@pytest.mark.parametrize("operation", ["reply", "note"])
def test_an_executable_is_refused_and_nothing_is_stored(sam_client, ticket, upload, operation):
    files = [upload("fine.txt"), upload("setup.exe", b"MZ", "application/octet-stream")]
    response = sam_client.post(url(operation, ticket), {"body": "Run this.", "attachments": files})
    assert response.status_code == 400
    assert b"setup.exe: .exe files are not accepted." in response.content
    assert b"Run this." in response.content  # the typed text is kept in the form
    assert ticket.entries.filter(kind__in=[EntryKind.RESPONSE, EntryKind.NOTE]).count() == 0
    assert Attachment.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(sam_client, ticket, upload, settings):
    settings.HELPLINE_MAX_ATTACHMENT_BYTES = 1024
    response = sam_client.post(
        url("reply", ticket), {"body": "Big one.", "attachments": [upload("big.log", b"x" * 1025)]}
    )
    assert response.status_code == 400
    assert b"big.log is larger than 1.0\xc2\xa0KB." in response.content
    assert not ticket.entries.filter(kind=EntryKind.RESPONSE).exists()
    assert Attachment.objects.count() == 0


def test_too_many_files_are_refused(sam_client, ticket, upload, settings):
    settings.HELPLINE_MAX_ATTACHMENTS = 2
    files = [upload(f"{n}.txt") for n in range(3)]
    response = sam_client.post(url("note", ticket), {"body": "Many.", "attachments": files})
    assert response.status_code == 400
    assert b"At most 2 files may be attached at once." in response.content
    assert Attachment.objects.count() == 0


def test_a_reply_longer_than_the_limit_is_refused_not_cut(sam_client, ticket):
    from helpline.tickets.actions.base import MAX_BODY_CHARS

    response = sam_client.post(
        reverse("staff:reply", args=[ticket.number]), {"body": "x" * (MAX_BODY_CHARS + 1)}
    )
    assert response.status_code == 400
    assert b"Ensure this value has at most" in response.content
    assert not ticket.entries.filter(kind=EntryKind.RESPONSE).exists()

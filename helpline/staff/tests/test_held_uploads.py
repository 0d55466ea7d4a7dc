"""Files attached to a reply or a note that was shown again instead of posted are kept for it
(staff.held_uploads): a reply held back because others wrote, a note refused for its text."""

import re
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from helpline.staff.held_uploads import prune
from helpline.staff.models import HeldUpload
from helpline.staff.tests.test_working_together import marker, open_page, post
from helpline.tickets.actions import post_message


def kept_ids(response) -> list[str]:
    return re.findall(r'name="held_upload" value="(\d+)"[^>]*checked', response.content.decode())


def held_back_reply(client, ticket, rita, upload, **extra):
    """A reply with a file, held back because Rita wrote while it was typed."""
    stale = open_page(client, ticket)
    post_message(actor=rita, ticket=ticket, body="Never mind, it works now")
    data = {"body": "Try the other cable.", "attachments": [upload("cable.txt", b"photo of the cable")]}
    response = client.post(
        reverse("staff:reply", args=[ticket.number]), data | marker(stale, "reply") | extra
    )
    assert response.status_code == 409
    return response


def test_a_held_back_replys_file_is_kept_and_sent_with_it(sam_client, ticket, rita, upload):
    held = held_back_reply(sam_client, ticket, rita, upload)
    content = held.content.decode()
    assert "Your files are kept with it." in content and "cable.txt" in content
    (kept,) = kept_ids(held)
    sent = post(
        sam_client,
        "reply",
        ticket,
        {"body": "Try the other cable.", "held_upload": kept} | marker(held, "reply"),
    )
    assert sent.status_code == 302
    response = ticket.entries.get(kind="response")
    (attachment,) = response.attachments.all()
    assert attachment.filename == "cable.txt" and attachment.file.read() == b"photo of the cable"
    assert not HeldUpload.objects.exists()  # used once


def test_an_unticked_file_is_left_out_and_a_new_one_joins_the_kept(sam_client, ticket, rita, upload):
    held = held_back_reply(sam_client, ticket, rita, upload)
    data = {"body": "Without the cable.", "attachments": [upload("log.txt", b"log")]} | marker(held, "reply")
    assert post(sam_client, "reply", ticket, data).status_code == 302
    names = [a.filename for a in ticket.entries.get(kind="response").attachments.all()]
    assert names == ["log.txt"]


def test_a_kept_file_serves_only_its_agent_and_ticket(
    client_for, sam_client, mia, ticket, rita, upload, open_for, support_topic
):
    held = held_back_reply(sam_client, ticket, rita, upload)
    (kept,) = kept_ids(held)
    other = open_for(rita, support_topic, subject="Another")
    mia_client = client_for(mia)
    page = open_page(mia_client, ticket)
    assert (
        post(
            mia_client, "reply", ticket, {"body": "Mine.", "held_upload": kept} | marker(page, "reply")
        ).status_code
        == 302
    )
    assert not ticket.entries.get(kind="response").attachments.exists()
    elsewhere = open_page(sam_client, other)
    data = {"body": "Elsewhere.", "held_upload": [kept, "x", "9" * 30]} | marker(elsewhere, "reply")
    assert post(sam_client, "reply", other, data).status_code == 302
    assert not other.entries.get(kind="response").attachments.exists()
    assert HeldUpload.objects.filter(pk=kept).exists()  # still Sam's, for this ticket


def test_a_note_refused_for_its_text_keeps_its_file(sam_client, ticket, upload):
    page = open_page(sam_client, ticket)
    data = {"body": "", "attachments": [upload("trace.txt", b"trace")]} | marker(page, "note")
    refused = post(sam_client, "note", ticket, data)
    assert refused.status_code == 400
    (kept,) = kept_ids(refused)
    again = {"body": "The trace, as promised.", "held_upload": kept} | marker(page, "note")
    assert post(sam_client, "note", ticket, again).status_code == 302
    (attachment,) = ticket.entries.get(kind="note").attachments.all()
    assert attachment.filename == "trace.txt"


def test_what_nobody_posted_is_removed_after_a_day(
    sam_client, ticket, rita, upload, django_capture_on_commit_callbacks
):
    held = held_back_reply(sam_client, ticket, rita, upload)
    (kept,) = kept_ids(held)
    stored = HeldUpload.objects.get(pk=kept).file
    storage, name = stored.storage, stored.name
    assert prune() == 0
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        late = post(
            sam_client, "reply", ticket, {"body": "Late.", "held_upload": kept} | marker(held, "reply")
        )
        assert late.status_code == 302
        assert not ticket.entries.get(kind="response").attachments.exists()  # too old to be used
        with django_capture_on_commit_callbacks(execute=True):
            assert prune() == 1
    assert not HeldUpload.objects.exists() and not storage.exists(name)

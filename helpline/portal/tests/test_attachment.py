"""Downloading attachments through an access link (portal:attachment)."""

import pytest

from helpline.portal.tests.helpers import assert_private, portal_url, upload
from helpline.tickets.actions import add_note, post_reply
from helpline.tickets.models import Attachment, EntryKind

PNG = b"\x89PNG\r\n\x1a\n fake image"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def with_files(open_for, rita, support_topic, sam):
    """Rita's ticket with a file on her message, on Sam's response and on Sam's internal note."""
    ticket = open_for(
        rita, support_topic, attachments=[upload("report.txt", b"my report"), upload("shot.png", PNG)]
    )
    post_reply(
        actor=sam, ticket=ticket, body="Here is the fix.", attachments=[upload("fix.html.txt", b"<p>fix</p>")]
    )
    add_note(actor=sam, ticket=ticket, body="Private.", attachments=[upload("secret.txt", b"internal")])
    return ticket


def file_on(ticket, kind: str, filename: str) -> Attachment:
    return Attachment.objects.get(entry__ticket=ticket, entry__kind=kind, filename=filename)


def test_a_file_on_the_requesters_message_downloads(client, with_files, rita):
    attachment = file_on(with_files, EntryKind.MESSAGE, "report.txt")

    response = client.get(portal_url("attachment", with_files, rita, attachment.pk))

    assert response.status_code == 200
    assert body(response) == b"my report"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="report.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert_private(response)


def test_an_image_keeps_its_type_but_still_downloads(client, with_files, rita):
    attachment = file_on(with_files, EntryKind.MESSAGE, "shot.png")

    response = client.get(portal_url("attachment", with_files, rita, attachment.pk))

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(response) == PNG


def test_a_file_on_an_agents_response_downloads(client, with_files, rita):
    attachment = file_on(with_files, EntryKind.RESPONSE, "fix.html.txt")

    response = client.get(portal_url("attachment", with_files, rita, attachment.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert body(response) == b"<p>fix</p>"


def test_a_collaborator_downloads_public_files(client, open_for, rita, colin, support_topic):
    ticket = open_for(rita, support_topic, collaborators=[colin], attachments=[upload("plan.txt", b"plan")])
    attachment = file_on(ticket, EntryKind.MESSAGE, "plan.txt")

    response = client.get(portal_url("attachment", ticket, colin, attachment.pk))

    assert response.status_code == 200 and body(response) == b"plan"


def test_a_file_on_an_internal_note_is_not_found(client, with_files, rita):
    attachment = file_on(with_files, EntryKind.NOTE, "secret.txt")

    response = client.get(portal_url("attachment", with_files, rita, attachment.pk))

    assert response.status_code == 404
    assert b"internal" not in response.content
    assert_private(response)


def test_a_file_of_another_ticket_is_not_found(client, with_files, open_for, rita, support_topic):
    # Even another ticket of the same requester: a link opens its own ticket only.
    other = open_for(rita, support_topic, subject="Other", attachments=[upload("other.txt", b"other")])
    attachment = file_on(other, EntryKind.MESSAGE, "other.txt")

    response = client.get(portal_url("attachment", with_files, rita, attachment.pk))

    assert response.status_code == 404
    assert client.get(portal_url("attachment", other, rita, attachment.pk)).status_code == 200


def test_an_unknown_file_is_not_found(client, with_files, rita):
    missing = Attachment.objects.order_by("-pk").first().pk + 1

    assert client.get(portal_url("attachment", with_files, rita, missing)).status_code == 404


def test_a_file_gone_from_storage_is_not_found(client, with_files, rita):
    attachment = file_on(with_files, EntryKind.MESSAGE, "report.txt")
    attachment.file.storage.delete(attachment.file.name)

    assert client.get(portal_url("attachment", with_files, rita, attachment.pk)).status_code == 404


def test_a_forged_link_downloads_nothing(client, with_files, rita):
    attachment = file_on(with_files, EntryKind.MESSAGE, "report.txt")
    url = portal_url("attachment", with_files, rita, attachment.pk).replace("/t/", "/t/x")

    response = client.get(url)

    assert response.status_code == 404
    assert b"my report" not in response.content

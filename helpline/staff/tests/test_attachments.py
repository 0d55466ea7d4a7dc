import pytest
from django.urls import reverse

from helpline.tickets.actions import add_note
from helpline.tickets.tests.helpers import assign_from_elsewhere


@pytest.fixture
def attach(ticket, sam, upload):
    """Attach one file to a note on Rita's ticket and return the Attachment."""

    def _attach(name, content=b"data", content_type="application/octet-stream"):
        entry = add_note(
            actor=sam, ticket=ticket, body="File", attachments=[upload(name, content, content_type)]
        )
        return entry.attachments.get()

    return _attach


def download(client, attachment):
    return client.get(reverse("staff:attachment", args=[attachment.pk]))


def test_an_agent_downloads_an_attachment_as_a_file(sam_client, attach):
    attachment = attach("report.txt", b"the report")
    response = download(sam_client, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"the report"
    assert response["Content-Disposition"] == 'attachment; filename="report.txt"'
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    "name,expected",
    [
        ("photo.png", "image/png"),
        ("photo.jpg", "image/jpeg"),
        ("anim.gif", "image/gif"),
        ("page.pdf", "application/octet-stream"),
    ],
)
def test_only_plain_images_keep_their_content_type(sam_client, attach, name, expected):
    response = download(sam_client, attach(name))
    assert response["Content-Type"] == expected
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_requesters_own_attachments_are_served_too(sam_client, rita, upload, open_for, support_topic):
    opened = open_for(rita, support_topic, attachments=[upload("screenshot.png", b"\x89PNG", "image/png")])
    attachment = opened.entries.get(kind="message").attachments.get()
    assert download(sam_client, attachment).status_code == 200


def test_an_agent_who_cannot_see_the_ticket_gets_404(client_for, ivan, attach):
    assert download(client_for(ivan), attach("secret.txt")).status_code == 404


def test_access_follows_the_ticket_assignment(client_for, ivan, ada, ticket, attach):
    attachment = attach("shared.txt")
    assign_from_elsewhere(ticket, ivan, by=ada)
    assert download(client_for(ivan), attachment).status_code == 200


def test_an_unknown_attachment_gets_404(sam_client, db):
    assert sam_client.get(reverse("staff:attachment", args=[424242])).status_code == 404


def test_a_file_missing_from_storage_gets_404(sam_client, attach):
    attachment = attach("gone.txt")
    attachment.file.delete(save=False)
    assert download(sam_client, attachment).status_code == 404


def test_downloads_are_get_only(sam_client, attach):
    assert sam_client.post(reverse("staff:attachment", args=[attach("a.txt").pk])).status_code == 405

"""An emailed message on the ticket page: its own images in place, other sites' images held back until the
agent asks, the whole email behind a disclosure; the portal never loads other sites' images."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helpline.people.actors import mail_intake
from helpline.portal.tests.helpers import portal_url
from helpline.tickets.actions import post_message

HTML = (
    '<p>See the screen:</p><img src="cid:shot@mail" alt="screenshot">'
    '<p>Logo: <img src="https://tracker.example.test/pixel.png?u=rita" alt="logo"></p>'
)


@pytest.fixture
def emailed(ticket, rita, support):
    shot = SimpleUploadedFile("screen.png", b"\x89PNG fake", content_type="image/png")
    shot.content_id = "shot@mail"
    intake = mail_intake(mailbox_id=1, mailbox_name="support@example.test", department_id=support.pk)
    return post_message(
        actor=intake,
        ticket=ticket,
        author=rita,
        body=HTML,
        body_format="html",
        attachments=[shot],
        original="See the screen\n\n> On Monday you wrote:\n> Is it plugged in?",
    )


def test_inline_images_show_and_remote_ones_wait(sam_client, ticket, emailed):
    page = sam_client.get(reverse("staff:ticket", args=[ticket.number]))
    content = page.content.decode()
    image = emailed.attachments.get()
    assert image.content_id == "shot@mail"
    assert f'src="{reverse("staff:attachment", args=[image.pk])}"' in content
    assert "tracker.example.test/pixel.png" not in content.split('title="')[0]  # no <img> loads it
    assert (
        '<span class="blocked-image" title="https://tracker.example.test/pixel.png?u=rita">[logo]</span>'
        in content
    )
    assert f'href="?images={emailed.pk}#entry-{emailed.pk}"' in content
    assert "https:" not in page["Content-Security-Policy"]
    assert "Show the whole email, with the quoted text" in content and "Is it plugged in?" in content


def test_loading_an_entrys_images_lets_the_page_show_them(sam_client, ticket, emailed):
    page = sam_client.get(reverse("staff:ticket", args=[ticket.number]), {"images": emailed.pk})
    assert '<img src="https://tracker.example.test/pixel.png?u=rita" alt="logo">' in page.content.decode()
    assert "img-src 'self' data: https:" in page["Content-Security-Policy"]


def test_the_portal_shows_the_inline_image_and_never_the_remote_one(client, ticket, rita, emailed):
    content = client.get(portal_url("ticket", ticket, rita)).content.decode()
    image = emailed.attachments.get()
    assert f'/attachments/{image.pk}/"' in content
    assert '<img src="https://tracker.example.test' not in content and "[logo]" in content

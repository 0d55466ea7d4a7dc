"""A response ends with the agent's signature, then the department's: in both parts of the email and in the
thread as the requester sees it on the portal."""

from django.urls import reverse

from conftest import open_with_hints
from helpline.portal.tests.helpers import portal_url
from helpline.tickets.models import EntryKind


def reply(client, ticket, body, mailoutbox, capture):
    mailoutbox.clear()
    with capture(execute=True):
        response = client.post(reverse("staff:reply", args=[ticket.number]), {"body": body})
    assert response.status_code == 302
    (mail,) = mailoutbox
    return mail


def test_a_reply_ends_with_the_agents_then_the_departments_signature(
    sam_client, ticket, sam, support, rita, client, mailoutbox, django_capture_on_commit_callbacks
):
    sam.signature = "Sam, printers"
    sam.save()
    support.signature = "Support desk\nhelpline.example"
    support.save()
    mail = reply(sam_client, ticket, "Unplug it.", mailoutbox, django_capture_on_commit_callbacks)

    assert "Unplug it.\n\nSam, printers\n\nSupport desk\nhelpline.example" in mail.body
    html = mail.alternatives[0][0]
    assert (
        html.index("Unplug it.")
        < html.index("Sam, printers")
        < html.index("Support desk<br>helpline.example")
    )
    stored = ticket.entries.get(kind=EntryKind.RESPONSE)
    assert stored.body_text.endswith("Support desk\nhelpline.example")
    page = client.get(portal_url("ticket", ticket, rita)).content.decode()
    assert "Support desk<br>helpline.example" in page


def test_another_departments_signature_stays_off(
    client_for, ivan, it_department, support, rita, mailoutbox, django_capture_on_commit_callbacks
):
    support.signature = "Support desk"
    support.save()
    it_department.signature = "IT services"
    it_department.save()
    ticket = open_with_hints(
        actor=ivan, requester=rita, department=it_department, subject="VPN down", body="Since noon."
    )
    mail = reply(client_for(ivan), ticket, "Rebooted.", mailoutbox, django_capture_on_commit_callbacks)
    assert mail.body.count("IT services") == 1 and "Support desk" not in mail.body


def test_without_signatures_the_reply_is_as_written(
    sam_client, ticket, mailoutbox, django_capture_on_commit_callbacks
):
    reply(sam_client, ticket, "On it.", mailoutbox, django_capture_on_commit_callbacks)
    assert ticket.entries.get(kind=EntryKind.RESPONSE).body_text == "On it."

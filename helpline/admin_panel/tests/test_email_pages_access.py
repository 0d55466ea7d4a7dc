"""The email channel's pages are for administrators only, and every change they make is a POST that carries
the CSRF token: anonymous visitors go to the sign-in, agents are refused, a forged post changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.inbound.models import BannedAddress, Mailbox, RawMessage


@pytest.fixture
def records(make_mailbox, make_raw):
    mailbox = make_mailbox(name="Support inbox")
    banned = BannedAddress.objects.create(pattern="@spam.example.test", reason="Spam")
    raw = make_raw(RawMessage.Status.REJECTED)
    return mailbox, banned, raw


@pytest.fixture
def pages(records):
    mailbox, banned, raw = records
    return [
        reverse("admin_panel:mailboxes"),
        reverse("admin_panel:mailbox_new"),
        reverse("admin_panel:mailbox_edit", args=[mailbox.pk]),
        reverse("admin_panel:banned"),
        reverse("admin_panel:received"),
        reverse("admin_panel:received_detail", args=[raw.pk]),
        reverse("admin_panel:received_download", args=[raw.pk]),
    ]


@pytest.fixture
def posts(records, support):
    mailbox, banned, raw = records
    new_mailbox = {"name": "New", "address": "new@example.test", "department": support.pk, "protocol": "pipe"}
    return [
        (reverse("admin_panel:mailbox_new"), new_mailbox | {"fetch_every_minutes": 5, "security": "ssl"}),
        (reverse("admin_panel:mailbox_edit", args=[mailbox.pk]), {"name": "Renamed"}),
        (reverse("admin_panel:mailbox_deactivate", args=[mailbox.pk]), {}),
        (reverse("admin_panel:banned_add"), {"pattern": "x@example.test", "reason": "r"}),
        (reverse("admin_panel:banned_remove", args=[banned.pk]), {}),
        (reverse("admin_panel:received_discard", args=[raw.pk]), {}),
    ]


def assert_nothing_changed(records):
    mailbox, banned, raw = records
    assert list(Mailbox.objects.values_list("name", "is_active")) == [("Support inbox", True)]
    assert list(BannedAddress.objects.values_list("pattern", flat=True)) == ["@spam.example.test"]
    assert RawMessage.objects.get(pk=raw.pk).status == RawMessage.Status.REJECTED
    assert not AuditEntry.objects.exists()


def test_anonymous_visitors_are_sent_to_the_sign_in(client, pages, posts, records):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login")), url
    for url, data in posts:
        assert client.post(url, data).status_code == 302, url
    assert_nothing_changed(records)


def test_agents_who_are_not_administrators_are_refused(client, sam, pages, posts, records):
    client.force_login(sam.user)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403 and "for Helpline administrators" in response.content.decode(), url
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert_nothing_changed(records)


def test_every_change_needs_the_csrf_token(ada, posts, records):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ada.user)
    for url, data in posts:
        assert browser.post(url, data).status_code == 403, url
    assert_nothing_changed(records)
    # With the token the page gave, the same post goes through.
    browser.get(reverse("admin_panel:received"))
    token = browser.cookies["csrftoken"].value
    url, data = posts[-1]
    assert browser.post(url, data | {"csrfmiddlewaretoken": token}).status_code == 302


def test_the_index_leads_to_the_email_pages(admin_client, db):
    content = admin_client.get(reverse("admin_panel:index")).content.decode()
    for name in ("mailboxes", "received", "banned"):
        assert reverse(f"admin_panel:{name}") in content

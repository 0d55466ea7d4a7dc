"""API keys in the administration area: created (the key shown once), listed with their last use, revoked;
each change on the audit log; for administrators only."""

import re

from django.test import Client
from django.urls import reverse

from helpline.api.keys import authenticate_key
from helpline.api.models import ApiKey
from helpline.audit.models import AuditEntry

LIST = reverse("admin_panel:api_keys")
NEW = reverse("admin_panel:api_key_new")


def create(admin_client, **fields):
    data = {
        "name": "Nagios",
        "scopes": ["tickets:create", "read"],
        "networks": "10.0.0.0/8, 192.0.2.7",
    } | fields
    return admin_client.post(NEW, data)


def test_a_key_is_created_shown_once_and_audited(admin_client, ada):
    answer = create(admin_client)
    assert answer.status_code == 201
    raw = re.search(r'id="new-key-value">([^<]+)<', answer.content.decode()).group(1)
    key = authenticate_key(raw, "10.2.3.4")
    assert key is not None and key.created_by == ada
    assert (key.scopes, key.networks) == (["tickets:create", "read"], ["10.0.0.0/8", "192.0.2.7/32"])
    listed = admin_client.get(LIST).content.decode()
    assert "Nagios" in listed and f"hlk_{key.prefix}_" in listed and raw not in listed
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_repr) == ("api_key.created", ada.pk, "Nagios")
    assert raw.split("_", 2)[2] not in str(entry.data)
    assert answer["Cache-Control"].startswith("max-age=0")


def test_bad_networks_and_missing_scopes_are_named_on_their_fields(admin_client):
    answer = create(admin_client, networks="the office", scopes=[])
    assert answer.status_code == 400
    content = answer.content.decode()
    assert "is not a network" in content and "This field is required." in content
    assert not ApiKey.objects.exists()


def test_a_key_is_revoked_and_refused_from_then_on(admin_client, ada):
    raw = re.search(r'id="new-key-value">([^<]+)<', create(admin_client).content.decode()).group(1)
    key = ApiKey.objects.get()
    answer = admin_client.post(reverse("admin_panel:api_key_revoke", args=[key.pk]), follow=True)
    assert "is revoked" in answer.content.decode()
    assert authenticate_key(raw, "10.0.0.1") is None
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "api_key.created",
        "api_key.revoked",
    ]
    again = admin_client.post(reverse("admin_panel:api_key_revoke", args=[key.pk]), follow=True)
    assert "revoked already" in again.content.decode() and AuditEntry.objects.count() == 2


def test_only_administrators_manage_keys(sam):
    client = Client()
    client.force_login(sam.user)
    assert client.get(LIST).status_code == 403
    assert client.post(NEW, {"name": "x", "scopes": ["read"]}).status_code == 403
    assert not ApiKey.objects.exists()

"""Banned senders in the administration area: an address or an @domain, validated, with a reason; removed
again; each change on the audit log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.inbound.models import BannedAddress

LIST = reverse("admin_panel:banned")
ADD = reverse("admin_panel:banned_add")


def test_an_address_or_a_domain_is_banned_with_its_reason(admin_client, ada):
    response = admin_client.post(
        ADD, {"pattern": " Spammer@Example.TEST ", "reason": "Sends adverts"}, follow=True
    )
    assert "Mail from spammer@example.test is refused from now on." in response.content.decode()
    admin_client.post(ADD, {"pattern": "@junk.example.test", "reason": "A spam domain"})
    assert list(BannedAddress.objects.values_list("pattern", "reason")) == [
        ("@junk.example.test", "A spam domain"),
        ("spammer@example.test", "Sends adverts"),
    ]
    content = admin_client.get(LIST).content.decode()
    assert "spammer@example.test" in content and "A spam domain" in content
    entries = AuditEntry.objects.order_by("at", "id")
    assert [(e.action, e.actor_id, e.target_repr) for e in entries] == [
        ("banned_address.added", ada.pk, "spammer@example.test"),
        ("banned_address.added", ada.pk, "@junk.example.test"),
    ]
    assert entries[0].data == {"pattern": "spammer@example.test", "reason": "Sends adverts"}


REFUSED = {
    "no at sign": (
        "spammer.example.test",
        "Enter an address (someone@example.com) or a domain starting with @",
    ),
    "a bare domain with a space": ("@junk example.test", "Enter an address"),
    "a wildcard": ("*@example.test", "No wildcards: write @example.com for every address at a domain."),
    "two at signs": ("a@b@example.test", "Enter an address"),
    "nothing": ("  ", "This field is required."),
}


@pytest.mark.parametrize("pattern, message", REFUSED.values(), ids=REFUSED.keys())
def test_a_pattern_that_is_neither_an_address_nor_a_domain_is_refused(admin_client, pattern, message):
    response = admin_client.post(ADD, {"pattern": pattern, "reason": "Why not"})
    assert response.status_code == 400 and message in response.content.decode()
    assert "There is a problem" in response.content.decode() and not BannedAddress.objects.exists()


def test_a_pattern_is_banned_once_whatever_its_case_and_needs_a_reason(admin_client):
    BannedAddress.objects.create(pattern="spammer@example.test", reason="Adverts")
    response = admin_client.post(ADD, {"pattern": "SPAMMER@example.test", "reason": "Again"})
    assert (
        response.status_code == 400 and "spammer@example.test is banned already." in response.content.decode()
    )
    no_reason = admin_client.post(ADD, {"pattern": "other@example.test", "reason": ""})
    assert no_reason.status_code == 400 and "This field is required." in no_reason.content.decode()
    assert BannedAddress.objects.count() == 1


def test_removing_a_ban_accepts_the_mail_again_and_is_recorded(admin_client, ada):
    banned = BannedAddress.objects.create(pattern="@old.example.test", reason="Was spam")
    url = reverse("admin_panel:banned_remove", args=[banned.pk])
    assert admin_client.get(url).status_code == 405  # never a change on GET
    response = admin_client.post(url, follow=True)
    assert "Mail from @old.example.test is accepted again." in response.content.decode()
    assert not BannedAddress.objects.exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_repr, entry.data["reason"]) == (
        "banned_address.removed",
        "@old.example.test",
        "Was spam",
    )
    again = admin_client.post(url, follow=True)
    assert "removed already" in again.content.decode() and AuditEntry.objects.count() == 1


def test_the_list_is_found_and_paged(admin_client):
    BannedAddress.objects.bulk_create(
        BannedAddress(pattern=f"sender{n:03d}@example.test", reason="r") for n in range(105)
    )
    BannedAddress.objects.create(pattern="@needle.example.test", reason="r")
    first = admin_client.get(LIST)
    assert len(first.context["banned"]) == 100
    second = admin_client.get(first.context["next_url"])
    patterns = [b.pattern for b in first.context["banned"] + second.context["banned"]]
    assert (
        patterns == sorted(BannedAddress.objects.values_list("pattern", flat=True))
        and not second.context["next_url"]
    )
    found = admin_client.get(LIST, {"q": "NEEDLE"})
    assert [b.pattern for b in found.context["banned"]] == ["@needle.example.test"]
    nothing = admin_client.get(LIST, {"q": "<nobody>"}).content.decode()
    assert "No banned sender matches “&lt;nobody&gt;”." in nothing


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_30_bans_as_for_3(admin_client):
    BannedAddress.objects.bulk_create(BannedAddress(pattern=f"s{n}@example.test") for n in range(3))
    three = count_queries(admin_client, LIST)
    BannedAddress.objects.bulk_create(BannedAddress(pattern=f"t{n}@example.test") for n in range(27))
    assert count_queries(admin_client, LIST) == three

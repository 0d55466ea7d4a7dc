"""Priorities in the administration area: created, renamed, re-ranked (the tickets' copied urgency follows,
so the queues' order does), one default at a time; each change on the audit log; administrators only."""

import pytest
from django.test import Client
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.catalog.models import Priority
from helpline.tickets.models import Ticket

LIST = reverse("admin_panel:priorities")
NEW = reverse("admin_panel:priority_new")


def edit_url(priority):
    return reverse("admin_panel:priority_edit", args=[priority.pk])


def data_of(priority: Priority, **fields) -> dict:
    values = {"name": priority.name, "urgency": priority.urgency, "color": priority.color}
    if priority.is_default:
        values["is_default"] = "on"
    return values | fields


def test_a_priority_is_created_as_the_new_default_and_recorded(admin_client, ada):
    old = Priority.default()
    response = admin_client.post(
        NEW, {"name": "Critical", "urgency": 9, "color": "#cc0000", "is_default": "on"}
    )
    assert response.status_code == 302
    assert Priority.default().name == "Critical" and Priority.objects.filter(is_default=True).count() == 1
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.data["after"]["urgency"]) == ("priority.created", ada.pk, 9)
    assert entry.data["default_before"] == {"id": old.pk, "name": old.name}


def test_a_new_urgency_reorders_the_priority_s_tickets(admin_client, ticket):
    priority = ticket.priority
    top = Priority.objects.order_by("-urgency").first().urgency
    assert admin_client.post(edit_url(priority), data_of(priority, urgency=top + 10)).status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).urgency == top + 10
    entry = AuditEntry.objects.get()
    assert entry.action == "priority.changed"
    assert entry.data["before"] == {"urgency": priority.urgency} and entry.data["tickets_reordered"] == 1


def test_an_urgency_taken_is_refused(admin_client, db):
    low, high = Priority.objects.get(name="Low"), Priority.objects.get(name="High")
    response = admin_client.post(edit_url(low), data_of(low, urgency=high.urgency))
    assert response.status_code == 400 and "Another priority has this urgency" in response.content.decode()


def test_the_default_is_moved_not_removed(admin_client, db):
    default = Priority.default()
    response = admin_client.post(edit_url(default), data_of(default, is_default=""))
    assert response.status_code == 400 and "Make another priority the default" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_a_colour_must_be_one(admin_client, db):
    response = admin_client.post(NEW, {"name": "Odd", "urgency": 50, "color": "red"})
    assert response.status_code == 400 and "#rrggbb" in response.content.decode()


def test_the_list_is_most_urgent_first(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        content = admin_client.get(LIST).content.decode()
    names = [p.name for p in Priority.objects.order_by("-urgency")]
    positions = [content.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)


@pytest.mark.parametrize("url", [LIST, NEW])
def test_only_administrators_enter(client, sam, url):
    assert client.get(url)["Location"].startswith(reverse("staff:login"))
    client.force_login(sam.user)
    assert client.get(url).status_code == 403
    assert Client().post(NEW, {"name": "X", "urgency": 70, "color": "#000000"}).status_code == 302
    client.post(NEW, {"name": "X", "urgency": 70, "color": "#000000"})
    assert not Priority.objects.filter(name="X").exists()

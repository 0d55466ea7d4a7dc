"""Ticket statuses in the administration area: named statuses on the fixed states, created, renamed,
reordered and made their state's default; a status's state fixed while tickets or topics hold it; each
change on the audit log."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.catalog.models import State, TicketStatus
from helpline.testsupport.factories import HelpTopicFactory
from helpline.tickets.actions import set_status

LIST = reverse("admin_panel:statuses")
NEW = reverse("admin_panel:status_new")


def edit_url(status):
    return reverse("admin_panel:status_edit", args=[status.pk])


def open_statuses():
    return list(
        TicketStatus.objects.filter(state=State.OPEN).order_by("sort", "name").values_list("name", flat=True)
    )


@pytest.fixture
def in_progress(db):
    return TicketStatus.objects.create(name="In progress", state=State.OPEN, sort=99)


def test_the_list_groups_the_statuses_by_state_with_each_default(admin_client, in_progress):
    content = admin_client.get(LIST).content.decode()
    headings = re.findall(r'<h2 id="state-\d">([^<]+)</h2>', content)
    assert headings == ["Open", "Pending", "Resolved", "Closed"]
    open_part = content[content.index(">Open</h2>") : content.index(">Pending</h2>")]
    assert "In progress" in open_part and open_part.count('badge">default') == 1


def test_a_status_is_created_on_a_state_last_in_its_order_and_recorded(admin_client, ada):
    response = admin_client.post(NEW, {"name": "  Waiting on   vendor ", "state": "pending"})
    assert response.status_code == 302
    status = TicketStatus.objects.get(name="Waiting on vendor")
    pending = list(TicketStatus.objects.filter(state=State.PENDING).order_by("sort"))
    assert pending[-1] == status and not status.is_default
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.data["after"]["state"]) == (
        "ticket_status.created",
        ada.pk,
        "pending",
    )


def test_a_new_status_may_become_its_states_default_at_once(admin_client):
    old = TicketStatus.default_for(State.OPEN)
    admin_client.post(NEW, {"name": "New", "state": "open", "make_default": "on"})
    assert TicketStatus.default_for(State.OPEN).name == "New"
    assert not TicketStatus.objects.get(pk=old.pk).is_default


def test_renaming_and_moving_to_another_state_are_recorded(admin_client, in_progress):
    response = admin_client.post(edit_url(in_progress), {"name": "Working on it", "state": "pending"})
    assert response.status_code == 302
    in_progress.refresh_from_db()
    assert (in_progress.name, in_progress.state) == ("Working on it", State.PENDING)
    entry = AuditEntry.objects.get()
    assert entry.action == "ticket_status.changed"
    assert (entry.data["before"]["name"], entry.data["after"]["name"]) == ("In progress", "Working on it")
    assert (entry.data["before"]["state"], entry.data["after"]["state"]) == ("open", "pending")


def test_a_status_keeps_its_state_while_tickets_hold_it(admin_client, ticket, sam, in_progress):
    set_status(actor=sam, ticket=ticket, status=in_progress)
    response = admin_client.post(edit_url(in_progress), {"name": "In progress", "state": "pending"})
    assert response.status_code == 400
    assert "Tickets have this status, so its state cannot change" in response.content.decode()
    assert TicketStatus.objects.get(pk=in_progress.pk).state == State.OPEN
    # Renaming it is fine.
    assert (
        admin_client.post(edit_url(in_progress), {"name": "Being worked on", "state": "open"}).status_code
        == 302
    )


def test_a_status_keeps_its_state_while_it_is_the_default_or_a_topic_starts_tickets_with_it(
    admin_client, in_progress, support
):
    default = TicketStatus.default_for(State.OPEN)
    refused = admin_client.post(edit_url(default), {"name": default.name, "state": "pending"})
    assert refused.status_code == 400 and "make another status its default first" in refused.content.decode()
    HelpTopicFactory(name="Outages", department=support, status=in_progress)
    refused = admin_client.post(edit_url(in_progress), {"name": "In progress", "state": "pending"})
    assert refused.status_code == 400 and "stays on the open state: Outages" in refused.content.decode()
    assert not AuditEntry.objects.exists()


def test_a_name_is_taken_once_whatever_its_case(admin_client, in_progress):
    response = admin_client.post(NEW, {"name": "IN PROGRESS", "state": "open"})
    assert (
        response.status_code == 400 and "Another status already has this name." in response.content.decode()
    )


def test_moving_a_status_up_and_down_within_its_state(admin_client, in_progress):
    assert open_statuses()[-1] == "In progress"
    move = reverse("admin_panel:status_move", args=[in_progress.pk])
    admin_client.post(move, {"direction": "up"})
    assert open_statuses()[-2] == "In progress"
    entry = AuditEntry.objects.get()
    count = len(open_statuses())
    assert (entry.action, entry.data["before"], entry.data["after"]) == (
        "ticket_status.moved",
        {"position": count},
        {"position": count - 1},
    )
    admin_client.post(move, {"direction": "down"})
    at_end = admin_client.post(move, {"direction": "down"}, follow=True)
    assert "at that end" in at_end.content.decode() and open_statuses()[-1] == "In progress"
    assert admin_client.post(move, {"direction": "sideways"}).status_code == 302
    assert AuditEntry.objects.count() == 2


def test_making_a_status_the_default(admin_client, in_progress, ada):
    old = TicketStatus.default_for(State.OPEN)
    url = reverse("admin_panel:status_make_default", args=[in_progress.pk])
    response = admin_client.post(url, follow=True)
    assert "get “In progress” from now on" in response.content.decode()
    assert TicketStatus.default_for(State.OPEN) == in_progress
    entry = AuditEntry.objects.get()
    assert entry.action == "ticket_status.made_default"
    assert entry.data == {
        "state": "open",
        "before": {"default": {"id": old.pk, "name": old.name}},
        "after": {"default": {"id": in_progress.pk, "name": "In progress"}},
    }
    assert "default already" in admin_client.post(url, follow=True).content.decode()
    assert AuditEntry.objects.count() == 1


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_30_statuses_as_for_3(admin_client):
    TicketStatus.objects.bulk_create(
        TicketStatus(name=f"S{n}", state=State.values[n % 4], sort=n) for n in range(3)
    )
    three = count_queries(admin_client, LIST)
    TicketStatus.objects.bulk_create(
        TicketStatus(name=f"T{n}", state=State.values[n % 4], sort=n) for n in range(27)
    )
    assert count_queries(admin_client, LIST) == three

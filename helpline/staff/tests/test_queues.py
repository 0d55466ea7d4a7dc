from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpline.catalog.models import Priority, TicketStatus
from helpline.staff.views.queues import PAGE_SIZE
from helpline.testsupport.factories import TeamFactory
from helpline.tickets.actions import assign_ticket, set_priority, set_status
from helpline.tickets.models import Ticket


def queue_url(name: str, **params) -> str:
    url = reverse("staff:queue", args=[name])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")


def numbers(response) -> list[str]:
    return [ticket.number for ticket in response.context["tickets"]]


@pytest.fixture
def spread(new_ticket, sam, it_department, support):
    """One ticket in each situation the queues tell apart, plus one Sam may not see."""
    now = timezone.now()
    tickets = {
        "unassigned": new_ticket("Unassigned one"),
        "mine": new_ticket("Sam's own"),
        "team": new_ticket("Team's"),
        "pending": new_ticket("Waiting on Rita"),
        "overdue": new_ticket("Late one"),
        "resolved": new_ticket("Fixed"),
        "closed": new_ticket("Done"),
    }
    assign_ticket(actor=sam, ticket=tickets["mine"], agent=sam)
    team = TeamFactory(name="Printers")
    sam.teams.add(team)
    assign_ticket(actor=sam, ticket=tickets["team"], team=team)
    set_status(actor=sam, ticket=tickets["pending"], status=TicketStatus.objects.get(name="Pending"))
    Ticket.objects.filter(pk=tickets["overdue"].pk).update(due_at=now - timedelta(hours=1))
    set_status(actor=sam, ticket=tickets["resolved"], status=TicketStatus.objects.get(name="Resolved"))
    set_status(actor=sam, ticket=tickets["closed"], status=TicketStatus.objects.get(name="Closed"))
    it_ticket = new_ticket("Elsewhere")
    Ticket.objects.filter(pk=it_ticket.pk).update(department=it_department)
    return {name: Ticket.objects.get(pk=t.pk).number for name, t in tickets.items()}


EXPECTED = {
    "open": {"unassigned", "mine", "team", "overdue"},
    "pending": {"pending"},
    "mine": {"mine", "team"},
    "unassigned": {"unassigned", "overdue"},
    "overdue": {"overdue"},
    "resolved": {"resolved"},
    "closed": {"closed"},
    "mentioned": set(),
}


@pytest.mark.parametrize("queue", list(EXPECTED))
def test_each_queue_lists_its_tickets_and_every_tab_its_count(sam_client, spread, queue):
    response = sam_client.get(queue_url(queue))
    assert response.status_code == 200
    assert set(numbers(response)) == {spread[name] for name in EXPECTED[queue]}
    assert f'id="tab-{queue}" class="current"'.encode() in response.content
    # The tabs' counts come after the page, with the navigation's, swapped in by id.
    assert (
        f'hx-get="{reverse("staff:nav_counts")}?current={queue}&amp;tabs={queue}"'.encode()
        in response.content
    )
    counted = sam_client.get(reverse("staff:nav_counts"), {"current": queue, "tabs": queue}).content.decode()
    tabs = counted.split('<ul class="tabs" id="queue-tabs" hx-swap-oob="true">')[1].split("</ul>")[0]
    for name, expected in EXPECTED.items():
        assert f'id="tab-count-{name}">{len(expected)}<' in tabs
    assert f'id="tab-{queue}" class="current"' in tabs


def test_the_table_shows_the_ticket_columns_and_the_overdue_badge(sam_client, spread):
    content = sam_client.get(queue_url("open")).content.decode()
    late = content.split(f'id="ticket-{spread["overdue"]}"')[1].split("</tr>")[0]
    assert reverse("staff:ticket", args=[spread["overdue"]]) in late
    assert "Late one" in late and "Rita Requester" in late and "Support" in late and "Normal" in late
    assert 'class="badge overdue"' in late
    own = content.split(f'id="ticket-{spread["mine"]}"')[1].split("</tr>")[0]
    assert "Sam" in own and "overdue" not in own
    team = content.split(f'id="ticket-{spread["team"]}"')[1].split("</tr>")[0]
    assert "Printers" in team


def test_the_nav_links_every_queue_and_the_new_ticket_page(sam_client, spread):
    content = sam_client.get(queue_url("open")).content.decode()
    for name in EXPECTED:
        assert f'href="{queue_url(name)}"' in content
    assert f'href="{reverse("staff:ticket_new")}"' in content
    assert f'action="{reverse("staff:logout")}"' in content


def test_an_unknown_queue_is_404(sam_client):
    assert sam_client.get(queue_url("everything")).status_code == 404


def test_the_default_order_is_most_recently_updated_first(sam_client, new_ticket, sam):
    first, second, third = new_ticket("a"), new_ticket("b"), new_ticket("c")
    set_priority(actor=sam, ticket=first, priority=Priority.objects.get(name="High"))  # touches it
    assert numbers(sam_client.get(queue_url("open"))) == [first.number, third.number, second.number]
    assert numbers(sam_client.get(queue_url("open", sort="bogus"))) == [
        first.number,
        third.number,
        second.number,
    ]
    ascending = sam_client.get(queue_url("open", sort="updated"))
    assert numbers(ascending) == [second.number, third.number, first.number]


def test_sorting_by_priority_and_due_time(sam_client, new_ticket, sam):
    low, high, normal = new_ticket("low"), new_ticket("high"), new_ticket("normal")
    set_priority(actor=sam, ticket=low, priority=Priority.objects.get(name="Low"))
    set_priority(actor=sam, ticket=high, priority=Priority.objects.get(name="High"))
    assert numbers(sam_client.get(queue_url("open", sort="-priority"))) == [
        high.number,
        normal.number,
        low.number,
    ]
    assert numbers(sam_client.get(queue_url("open", sort="priority"))) == [
        low.number,
        normal.number,
        high.number,
    ]
    now = timezone.now()
    Ticket.objects.filter(pk=low.pk).update(due_at=now + timedelta(hours=1))
    Ticket.objects.filter(pk=normal.pk).update(due_at=now + timedelta(hours=2))
    # Tickets without a due time come last.
    assert numbers(sam_client.get(queue_url("open", sort="due"))) == [low.number, normal.number, high.number]


def test_sorting_by_number_and_creation(sam_client, new_ticket):
    tickets = [new_ticket(str(n)) for n in range(4)]
    by_number = sorted(t.number for t in tickets)
    assert numbers(sam_client.get(queue_url("open", sort="number"))) == by_number
    assert numbers(sam_client.get(queue_url("open", sort="-number"))) == by_number[::-1]
    assert numbers(sam_client.get(queue_url("open", sort="created"))) == [t.number for t in tickets]


def test_column_headers_link_to_their_sort_and_reverse_the_current_one(sam_client, new_ticket):
    new_ticket()
    content = sam_client.get(queue_url("open", sort="-priority")).content.decode()
    assert f'href="{queue_url("open", sort="priority")}" id="sort-priority"' in content
    assert f'href="{queue_url("open", sort="number")}" id="sort-number"' in content
    assert f'href="{queue_url("open", sort="-updated")}" id="sort-updated"' in content
    assert 'aria-sort="descending"><a href="' + queue_url("open", sort="priority") in content


def test_the_next_page_link_continues_where_the_page_ended_and_keeps_the_sort(sam_client, new_ticket):
    created = [new_ticket(f"ticket {n}").number for n in range(PAGE_SIZE + 3)]
    first = sam_client.get(queue_url("open", sort="created"))
    assert numbers(first) == created[:PAGE_SIZE]
    next_url = first.context["next_url"]
    assert "sort=created" in next_url and "after=" in next_url
    assert f'href="{next_url}"'.replace("&", "&amp;").encode() in first.content
    second = sam_client.get(next_url)
    assert numbers(second) == created[PAGE_SIZE:]
    assert second.context["next_url"] == ""
    assert b"Next page" not in second.content


def test_a_malformed_cursor_shows_the_first_page(sam_client, new_ticket):
    number = new_ticket().number
    assert numbers(sam_client.get(queue_url("open", after="!!not-a-cursor"))) == [number]


@pytest.mark.parametrize("queue", ["open", "mine"])
def test_the_queue_query_count_does_not_grow_with_the_rows(
    sam_client, new_ticket, sam, django_assert_num_queries, queue
):
    team = TeamFactory(name="Printers")
    sam.teams.add(team)
    for n in range(3):
        assign_ticket(actor=sam, ticket=new_ticket(f"t{n}"), agent=sam, team=team)
    with CaptureQueriesContext(connection) as few:
        assert len(numbers(sam_client.get(queue_url(queue)))) == 3
    for n in range(27):
        assign_ticket(actor=sam, ticket=new_ticket(f"more {n}"), agent=sam, team=team)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(numbers(sam_client.get(queue_url(queue)))) == PAGE_SIZE


def test_my_tickets_pages_hold_the_agents_and_their_teams_tickets_in_order(sam_client, new_ticket, sam):
    """The page is read in branches (the agent's own, each team's, a state at a time) and merged: every
    ticket once, in the list's order, across pages; a ticket both the agent's and a team's once."""
    team, other = TeamFactory(name="Printers"), TeamFactory(name="Network")
    sam.teams.add(team, other)
    pending = TicketStatus.objects.get(name="Pending")
    for n in range(PAGE_SIZE + 6):
        ticket = new_ticket(f"mine {n}")
        who = [{"agent": sam}, {"team": team}, {"agent": sam, "team": other}][n % 3]
        assign_ticket(actor=sam, ticket=ticket, **who)
        if n % 4 == 0:
            set_status(actor=sam, ticket=ticket, status=pending)
    new_ticket("nobody's")
    first = sam_client.get(queue_url("mine"))
    second = sam_client.get(first.context["next_url"])
    shown = numbers(first) + numbers(second)
    expected = Ticket.objects.filter(subject__startswith="mine ").order_by("-updated_at", "-pk")
    assert shown == [ticket.number for ticket in expected]
    assert second.context["next_url"] == ""

"""Filters on the staff lists, through HTTP: each filter alone, together, with search words, refused
values, and the links of a filtered list (sorts, next page) keeping its filters."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.people.models import Organization
from helpline.staff.views.queues import PAGE_SIZE
from helpline.testsupport.factories import RequesterFactory, TeamFactory
from helpline.tickets.actions import assign_ticket, set_status
from helpline.tickets.models import Source, Ticket

OPEN = reverse("staff:queue", args=["open"])
SEARCH = reverse("staff:search")


def names(response, varied) -> set[str]:
    by_number = {number: name for name, number in varied.items() if not name.startswith("_")}
    return {by_number.get(t.number, t.number) for t in response.context["tickets"]}


@pytest.fixture
def acme(db):
    return Organization.objects.create(name="ACME Corp")


@pytest.fixture
def varied(new_ticket, sam, lena, support_topic, it_department, acme):
    """Open Support tickets, each different from "plain" in one way; and an IT ticket Sam may not see."""
    now = timezone.now()
    team = TeamFactory(name="Printers")
    olga = RequesterFactory(name="Olga", email="olga@acme.test", organization=acme)
    in_progress = TicketStatus.objects.create(name="In progress", state=State.OPEN, sort=5)
    tickets = {
        "plain": new_ticket("Plain"),
        "mine": new_ticket("Mine"),
        "lenas": new_ticket("Lena's"),
        "team": new_ticket("Team's"),
        "high": new_ticket("Urgent", priority=Priority.objects.get(name="High")),
        "topic": new_ticket("By topic", topic=support_topic),
        "phone": new_ticket("Phoned in", source=Source.PHONE),
        "olga": new_ticket("From ACME", requester=olga),
        "old": new_ticket("Old one"),
        "late": new_ticket("Late one"),
        "progress": new_ticket("Being worked"),
    }
    assign_ticket(actor=sam, ticket=tickets["mine"], agent=sam)
    assign_ticket(actor=sam, ticket=tickets["lenas"], agent=lena)
    assign_ticket(actor=sam, ticket=tickets["team"], team=team)
    set_status(actor=sam, ticket=tickets["progress"], status=in_progress)
    Ticket.objects.filter(pk=tickets["old"].pk).update(
        created_at=now - timedelta(days=40), updated_at=now - timedelta(days=35)
    )
    Ticket.objects.update(due_at=None)
    Ticket.objects.filter(pk=tickets["topic"].pk).update(due_at=now + timedelta(days=3))
    Ticket.objects.filter(pk=tickets["late"].pk).update(due_at=now - timedelta(days=2))
    hidden = new_ticket("IT only")
    Ticket.objects.filter(pk=hidden.pk).update(department=it_department)
    numbers = {name: Ticket.objects.get(pk=t.pk).number for name, t in tickets.items()}
    return numbers | {
        "_it": hidden.number,
        "_team": team.pk,
        "_status": in_progress.pk,
        "_it_department": it_department.pk,
    }


ALL = {"plain", "mine", "lenas", "team", "high", "topic", "phone", "olga", "old", "late", "progress"}


def days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL),
        ({"priority": lambda v: Priority.objects.get(name="High").pk}, {"high"}),
        ({"topic": lambda v: Ticket.objects.get(number=v["topic"]).topic_id}, {"topic"}),
        ({"status": lambda v: v["_status"]}, {"progress"}),
        ({"assignee": "me"}, {"mine"}),
        ({"assignee": "none"}, ALL - {"mine", "lenas"}),
        ({"assignee": lambda v: Ticket.objects.get(number=v["lenas"]).assignee_id}, {"lenas"}),
        ({"team": lambda v: v["_team"]}, {"team"}),
        ({"source": "phone"}, {"phone"}),
        ({"requester": "OLGA@acme.test"}, {"olga"}),
        ({"organization": "acme corp"}, {"olga"}),
        ({"created_to": lambda v: days_ago(30)}, {"old"}),
        ({"created_from": lambda v: days_ago(1)}, ALL - {"old"}),
        ({"updated_from": lambda v: days_ago(36), "updated_to": lambda v: days_ago(34)}, {"old"}),
        ({"due_from": lambda v: days_ago(1)}, {"topic"}),
        ({"due_to": lambda v: days_ago(1)}, {"late"}),
        ({"due_from": lambda v: days_ago(3), "due_to": lambda v: days_ago(-4)}, {"topic", "late"}),
        ({"overdue": "1"}, {"late"}),
        ({"department": lambda v: v["_it_department"]}, set()),  # visibility still holds
    ],
    ids=lambda value: "-".join(value) if isinstance(value, dict) else None,
)
def test_each_filter_narrows_the_open_queue(sam_client, varied, params, expected):
    query = {key: (value(varied) if callable(value) else value) for key, value in params.items()}
    response = sam_client.get(OPEN, query)
    assert response.status_code == 200
    assert names(response, varied) == expected
    assert response.context["total"] == len(expected)


def test_filters_combine(sam_client, varied, support):
    high = Priority.objects.get(name="High").pk
    response = sam_client.get(OPEN, {"priority": high, "assignee": "none", "department": support.pk})
    assert names(response, varied) == {"high"}
    assert names(sam_client.get(OPEN, {"priority": high, "assignee": "me"}), varied) == set()


def test_filters_combine_with_the_search_words(sam_client, varied, rita):
    high = Priority.objects.get(name="High").pk
    response = sam_client.get(SEARCH, {"q": rita.email, "priority": high})
    assert response.status_code == 200
    assert names(response, varied) == {"high"}
    response = sam_client.get(SEARCH, {"q": rita.email, "source": "phone"})
    assert names(response, varied) == {"phone"}
    everything = sam_client.get(SEARCH, {"q": rita.email})
    assert names(everything, varied) == ALL - {"olga"}
    # A number with a filter it does not pass is not found, rather than opened.
    missed = sam_client.get(SEARCH, {"q": varied["phone"], "source": "email"})
    assert missed.status_code == 200 and b'id="no-results"' in missed.content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"department": "abc"}, "Select a valid choice"),
        ({"priority": "999999"}, "Select a valid choice"),
        ({"assignee": "someone"}, "Select a valid choice"),
        ({"source": "fax"}, "Select a valid choice"),
        ({"requester": "not an address"}, "Enter a valid email address"),
        ({"organization": "Nobody Inc"}, "No organization is named “Nobody Inc”"),
        ({"created_from": "yesterday"}, "Enter a valid date"),
        ({"created_to": "9999-12-31"}, "Ensure this value is less than or equal to 2999-12-31"),
        ({"updated_from": "0001-01-01"}, "Ensure this value is greater than or equal to 1900-01-01"),
        ({"due_from": "2026-02-10", "due_to": "2026-02-01"}, "Due until must be on or after due from"),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, dict) else None,
)
@pytest.mark.parametrize("url", [OPEN, SEARCH])
def test_a_bad_value_is_a_message_on_the_page(sam_client, varied, rita, url, params, message):
    response = sam_client.get(url, {"q": rita.email, **params})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="error-summary"' in content and message in content
    assert response.context["tickets"] == []
    assert 'id="filter-panel" open' in content


def test_a_filtered_list_keeps_its_filters_in_every_link(sam_client, new_ticket):
    high = Priority.objects.get(name="High")
    created = [new_ticket(f"high {n}", priority=high).number for n in range(PAGE_SIZE + 2)]
    new_ticket("normal, left out")
    query = {"priority": str(high.pk), "assignee": "none", "sort": "created"}
    first = sam_client.get(OPEN, query)
    assert [t.number for t in first.context["tickets"]] == created[:PAGE_SIZE]
    assert first.context["total"] == PAGE_SIZE + 2
    content = first.content.decode()
    assert f'<option value="{high.pk}" selected>High</option>' in content
    assert '<option value="none" selected>Unassigned</option>' in content
    next_url = first.context["next_url"]
    assert {
        key: value[0] for key, value in parse_qs(urlsplit(next_url).query).items() if key != "after"
    } == query
    second = sam_client.get(next_url)
    assert [t.number for t in second.context["tickets"]] == created[PAGE_SIZE:]
    headers = {column.key: column.url for column in first.context["headers"] if column.url}
    for key, url in headers.items():
        params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        assert params == {"priority": str(high.pk), "assignee": "none", "sort": params["sort"]}, key
    by_number = sam_client.get(headers["number"])
    assert [t.number for t in by_number.context["tickets"]] == sorted(created)[:PAGE_SIZE]


def test_the_count_stops_at_the_cap(sam_client, new_ticket, settings, monkeypatch):
    monkeypatch.setattr("helpline.staff.views.lists.COUNT_CAP", 3)
    for n in range(5):
        new_ticket(f"t{n}")
    response = sam_client.get(OPEN, {"assignee": "none"})
    assert response.context["total"] == 4
    assert b"3+ tickets match these filters" in response.content


def test_the_filter_panel_needs_no_script_and_says_when_filters_are_on(sam_client, varied):
    plain = sam_client.get(OPEN).content.decode()
    assert '<form method="get" action="/staff/queues/open/" class="filters" id="filters">' in plain
    assert 'id="filter-panel">' in plain and "filter-clear" not in plain
    on = sam_client.get(OPEN, {"source": "phone"}).content.decode()
    assert 'id="filter-panel" open' in on and 'id="filter-clear"' in on


def test_a_filtered_queue_costs_the_same_queries_for_few_and_many_rows(
    sam_client, new_ticket, sam, django_assert_num_queries
):
    high = Priority.objects.get(name="High")
    query = {"priority": high.pk, "assignee": "me", "created_from": days_ago(1), "overdue": ""}
    for n in range(2):
        assign_ticket(actor=sam, ticket=new_ticket(f"t{n}", priority=high), agent=sam)
    with CaptureQueriesContext(connection) as few:
        assert len(sam_client.get(OPEN, query).context["tickets"]) == 2
    for n in range(PAGE_SIZE + 3):
        assign_ticket(actor=sam, ticket=new_ticket(f"more {n}", priority=high), agent=sam)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(sam_client.get(OPEN, query).context["tickets"]) == PAGE_SIZE

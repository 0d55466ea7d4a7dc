"""The agent's dashboard at /staff/: their open tickets by due time, overdue tickets, tickets awaiting
their reply and recent activity, each bounded and in a fixed number of queries."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpline.testsupport.factories import HelpTopicFactory
from helpline.tickets.actions import add_note, assign_ticket, post_message, post_reply
from helpline.tickets.dashboard import DASHBOARD_ROWS


def dashboard(client):
    return client.get(reverse("staff:dashboard"))


def block(content: str, name: str) -> str:
    return content.split(f'id="dash-{name}"')[1].split("</section>")[0]


def test_an_agent_lands_on_the_dashboard(sam_client):
    response = dashboard(sam_client)
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("my-open", "overdue", "awaiting", "activity"):
        assert f'id="dash-{name}"' in content
    assert "No open tickets assigned to you." in content


def test_my_open_tickets_come_soonest_due_first(sam_client, new_ticket, sam, sla_plan):
    later = new_ticket(subject="Later", assignee=sam, sla_plan=sla_plan)
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        sooner = new_ticket(subject="Sooner", assignee=sam, sla_plan=sla_plan)
    undated = new_ticket(subject="Undated", assignee=sam)
    new_ticket(subject="Not mine")
    mine = block(dashboard(sam_client).content.decode(), "my-open")
    assert "Not mine" not in mine
    assert [mine.index(f"#{t.number}") for t in (sooner, later, undated)] == sorted(
        mine.index(f"#{t.number}") for t in (sooner, later, undated)
    )


def test_overdue_lists_my_departments_tickets_and_not_other_departments(
    sam_client, new_ticket, sla_plan, open_for, rita, it_department
):
    it_with_sla = HelpTopicFactory(name="Network outage", department=it_department, sla_plan=sla_plan)
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        late = new_ticket(subject="Late one", sla_plan=sla_plan)
        in_it = open_for(rita, it_with_sla, subject="Late in IT")
    assert in_it.due_at < timezone.now()
    overdue = block(dashboard(sam_client).content.decode(), "overdue")
    assert f"#{late.number} Late one" in overdue and "overdue" in overdue
    assert "Late in IT" not in overdue


def test_awaiting_my_reply_is_where_the_requester_spoke_last(sam_client, new_ticket, sam, rita):
    answered = new_ticket(subject="Answered", assignee=sam)
    post_reply(actor=sam, ticket=answered, body="Done.")
    asked_again = new_ticket(subject="Asked again", assignee=sam)
    post_reply(actor=sam, ticket=asked_again, body="Try this.")
    post_message(actor=rita, ticket=asked_again, body="Did not help.")
    noted = new_ticket(subject="Only a note since", assignee=sam)
    post_reply(actor=sam, ticket=noted, body="Fixed.")
    add_note(actor=sam, ticket=noted, body="Logged it.")
    never = new_ticket(subject="Never answered", assignee=sam)
    waiting = block(dashboard(sam_client).content.decode(), "awaiting")
    assert f"#{asked_again.number}" in waiting and f"#{never.number}" in waiting
    assert f"#{answered.number}" not in waiting and f"#{noted.number}" not in waiting


def test_recent_activity_names_the_latest_entry(sam_client, new_ticket, sam, rita):
    ticket = new_ticket(subject="Busy one", assignee=sam)
    post_message(actor=rita, ticket=ticket, body="Any news?")
    activity = block(dashboard(sam_client).content.decode(), "activity")
    assert f"#{ticket.number} Busy one" in activity and "message from Rita Requester" in activity


@pytest.mark.parametrize("name", ["my-open", "awaiting", "activity"])
def test_each_block_is_bounded_and_links_to_its_queue(sam_client, new_ticket, sam, name):
    for n in range(DASHBOARD_ROWS + 1):
        new_ticket(subject=f"Ticket {n}", assignee=sam)
    shown = block(dashboard(sam_client).content.decode(), name)
    assert shown.count("<li>") == DASHBOARD_ROWS
    assert f'href="{reverse("staff:queue", args=["mine"])}' in shown


def test_the_dashboard_query_count_does_not_grow_with_the_tickets(
    sam_client, new_ticket, sam, rita, sla_plan, django_assert_num_queries
):
    def grow(count):
        with time_machine.travel(timezone.now() - timedelta(days=1)):
            for n in range(count):
                ticket = new_ticket(subject=f"Ticket {n}", assignee=sam, sla_plan=sla_plan)
                post_message(actor=rita, ticket=ticket, body="Hello?")

    grow(1)
    with CaptureQueriesContext(connection) as few:
        dashboard(sam_client)
    grow(DASHBOARD_ROWS + 3)
    with django_assert_num_queries(len(few.captured_queries)):
        content = dashboard(sam_client).content.decode()
    assert block(content, "overdue").count("<li>") == DASHBOARD_ROWS


def test_a_ticket_handed_to_someone_else_leaves_my_blocks(sam_client, new_ticket, sam, mia):
    ticket = new_ticket(subject="Passed on", assignee=sam)
    assign_ticket(actor=sam, ticket=ticket, agent=mia)
    content = dashboard(sam_client).content.decode()
    for name in ("my-open", "awaiting", "activity"):
        assert "Passed on" not in block(content, name)

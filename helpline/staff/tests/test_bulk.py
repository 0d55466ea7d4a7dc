"""Bulk actions from a queue: each ticked ticket through its own action, refusals reported by number and
the rest done, at most a page per request, and a constant number of queries to show the bar."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import open_with_hints
from helpline.catalog.models import Priority, State, TicketStatus
from helpline.people.models import Membership, Role
from helpline.staff.bulk_forms import MAX_BULK
from helpline.testsupport.factories import AgentFactory, TeamFactory
from helpline.tickets.models import Event, Ticket

QUEUE = reverse("staff:queue", args=["open"])
BULK = reverse("staff:bulk")


def post(client, numbers, action, **fields):
    data = {"ticket": numbers, "action": action, "next": QUEUE, **fields}
    return client.post(BULK, data, follow=True)


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_queue_shows_a_checkbox_per_row_and_the_bar(sam_client, new_ticket):
    numbers = [new_ticket(f"t{n}").number for n in range(2)]
    page = sam_client.get(QUEUE).content.decode()
    for number in numbers:
        assert f'name="ticket" value="{number}" form="bulk-form"' in page
        assert f'name="page_ticket" value="{number}"' in page
    assert 'id="bulk-all"' in page and 'id="bulk-assign"' in page and 'id="bulk-merge"' in page
    assert 'id="bulk-delete"' not in page  # Sam's Agent role may not delete


def test_bulk_assign_gives_each_ticket_its_own_event(sam_client, new_ticket, sam):
    tickets = [new_ticket(f"t{n}") for n in range(3)]
    response = post(sam_client, [t.number for t in tickets[:2]], "assign", agent=sam.pk)
    assert response.redirect_chain[-1][0] == QUEUE
    for ticket in tickets[:2]:
        ticket.refresh_from_db()
        assert ticket.assignee == sam
        assert ticket.entries.filter(event=Event.ASSIGNED).count() == 1
    tickets[2].refresh_from_db()
    assert tickets[2].assignee is None
    [message] = shown_messages(response)
    assert message == f"Assigned to {sam}: #{tickets[0].number}, #{tickets[1].number}."


def test_all_on_this_page_works_without_javascript(sam_client, new_ticket):
    tickets = [new_ticket(f"t{n}") for n in range(3)]
    high = Priority.objects.order_by("-urgency").first()
    data = {
        "all_on_page": "1",
        "page_ticket": [t.number for t in tickets],
        "action": "priority",
        "priority": high.pk,
    }
    sam_client.post(BULK, data)
    assert {t.priority_id for t in Ticket.objects.all()} == {high.pk}


def test_a_mix_of_allowed_and_refused_tickets(client_for, new_ticket, lena, ivan, rita, it_department):
    """Lena (Limited in Support) may not assign Support's tickets; she is a Manager in IT."""
    Membership.objects.create(agent=lena, department=it_department, role=Role.objects.get(name="Manager"))
    theirs = new_ticket("Support ticket")
    ours = open_with_hints(
        actor=ivan, requester=rita, department=it_department, subject="IT ticket", body="b"
    )
    response = post(client_for(lena), [theirs.number, ours.number, "99999999"], "assign", agent=lena.pk)
    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert theirs.assignee is None and ours.assignee == lena
    done, refused = shown_messages(response)
    assert done == f"Assigned to {lena}: #{ours.number}."
    assert refused.startswith("Not done for 2 of the tickets.")
    assert f"#{theirs.number}: Lena may not assign tickets on ticket #{theirs.number}." in refused
    assert "#99999999: No such ticket among those you may see." in refused


def test_bulk_status_transfer_and_a_refused_close(client_for, new_ticket, it_department, support):
    limited_closer = Role.objects.create(name="Pending only", permissions=["view", "status", "transfer"])
    agent = AgentFactory(departments=[support], departments__role=limited_closer)
    tickets = [new_ticket(f"t{n}") for n in range(2)]
    client = client_for(agent)
    pending = TicketStatus.default_for(State.PENDING)
    post(client, [t.number for t in tickets], "status", status=pending.pk)
    assert set(Ticket.objects.values_list("state", flat=True)) == {State.PENDING}
    closed = TicketStatus.default_for(State.CLOSED)
    response = post(client, [tickets[0].number], "status", status=closed.pk)
    assert "may not set ticket" in shown_messages(response)[0]
    post(client, [tickets[1].number], "transfer", department=it_department.pk)
    tickets[1].refresh_from_db()
    assert tickets[1].department == it_department


def test_bulk_merge_into_one_of_the_selected(sam_client, new_ticket):
    target, first, second = (new_ticket(f"t{n}") for n in range(3))
    response = post(
        sam_client, [first.number, target.number, second.number], "merge", merge_into=target.number
    )
    for source in (first, second):
        source.refresh_from_db()
        assert source.merged_into_id == target.pk
    assert shown_messages(response) == [f"Merged into #{target.number}: #{first.number}, #{second.number}."]
    assert sam_client.get(reverse("staff:ticket", args=[first.number]))["Location"].endswith(
        f"/{target.number}/"
    )


def test_merge_needs_its_target_among_the_selected(sam_client, new_ticket):
    target, other = new_ticket("a"), new_ticket("b")
    response = post(sam_client, [other.number], "merge", merge_into=target.number)
    assert "Choose the ticket to merge into among the selected." in shown_messages(response)[0]
    assert not Ticket.objects.filter(merged_into__isnull=False).exists()


def test_bulk_delete_needs_the_role_and_the_confirmation(client_for, new_ticket, mia, sam):
    tickets = [new_ticket(f"t{n}") for n in range(2)]
    numbers = [t.number for t in tickets]
    assert "Tick the confirmation" in shown_messages(post(client_for(mia), numbers, "delete"))[0]
    refused = shown_messages(post(client_for(sam), numbers, "delete", confirm_delete="on"))[0]
    assert "Sam may not delete tickets" in refused and Ticket.objects.count() == 2
    assert 'id="bulk-delete"' in client_for(mia).get(QUEUE).content.decode()
    done = shown_messages(post(client_for(mia), numbers, "delete", confirm_delete="on"))
    assert done == [f"Deleted: #{numbers[0]}, #{numbers[1]}."] and not Ticket.objects.exists()


def test_bad_input_is_told_and_changes_nothing(sam_client, new_ticket, sam):
    ticket = new_ticket()
    assert "Select the tickets" in shown_messages(post(sam_client, [], "assign", agent=sam.pk))[0]
    assert "Choose an agent or a team" in shown_messages(post(sam_client, [ticket.number], "assign"))[0]
    too_many = [str(10_000_000 + n) for n in range(MAX_BULK + 1)]
    assert (
        f"At most {MAX_BULK} tickets at once"
        in shown_messages(post(sam_client, too_many, "assign", agent=sam.pk))[0]
    )
    response = sam_client.post(BULK, {"ticket": [ticket.number], "action": "explode"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee is None and ticket.entries.count() == 2


def test_the_bar_is_a_post_with_csrf(sam_client, new_ticket, sam):
    ticket = new_ticket()
    client = Client(enforce_csrf_checks=True)
    client.force_login(sam.user)
    assert (
        client.post(BULK, {"ticket": [ticket.number], "action": "assign", "agent": sam.pk}).status_code == 403
    )
    assert sam_client.get(BULK).status_code == 405


def test_the_queue_with_the_bar_costs_the_same_queries_for_any_number_of_rows(
    sam_client, new_ticket, django_assert_num_queries
):
    for n in range(2):
        new_ticket(f"t{n}")
    with CaptureQueriesContext(connection) as few:
        sam_client.get(QUEUE)
    for n in range(20):
        new_ticket(f"more {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        page = sam_client.get(QUEUE).content.decode()
    assert len(re.findall(r'name="page_ticket"', page)) == 22


def test_a_bulk_post_costs_what_its_actions_cost(sam_client, new_ticket, sam):
    """Each ticket costs its action's queries and no more: twice the tickets, about twice the queries."""
    team = TeamFactory(name="Printers")
    small = [new_ticket(f"s{n}").number for n in range(2)]
    large = [new_ticket(f"l{n}").number for n in range(4)]
    with CaptureQueriesContext(connection) as two:
        post(sam_client, small, "assign", team=team.pk)
    with CaptureQueriesContext(connection) as four:
        post(sam_client, large, "assign", team=team.pk)
    per_ticket = (len(four.captured_queries) - len(two.captured_queries)) / 2
    assert per_ticket <= 15
    assert len(four.captured_queries) <= len(two.captured_queries) + 2 * per_ticket + 1


def test_an_agent_who_may_do_none_of_it_sees_no_bar(client_for, new_ticket, lena):
    new_ticket()
    page = client_for(lena).get(QUEUE).content.decode()
    assert 'id="bulk-form"' not in page and 'name="ticket"' not in page

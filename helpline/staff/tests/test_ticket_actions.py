"""The forms posted from the ticket page: each happy path, the event it writes, and its refusals."""

import pytest
from django.test import Client
from django.urls import reverse

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.testsupport.factories import SLAPlanFactory, TeamFactory
from helpline.tickets.actions import assign_ticket
from helpline.tickets.models import EntryKind, Event, Ticket
from helpline.tickets.tests.helpers import assign_from_elsewhere, ref


def url(name: str, ticket) -> str:
    return reverse(f"staff:{name}", args=[ticket.number])


def last_event(ticket):
    return ticket.entries.filter(kind=EntryKind.EVENT).order_by("-id").first()


def fresh(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def test_a_reply_is_posted_mailed_and_can_set_the_status(
    sam_client, ticket, mailoutbox, django_capture_on_commit_callbacks
):
    pending = TicketStatus.objects.get(name="Pending")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(url("reply", ticket), {"body": "Unplug it.", "status": pending.pk})
    assert response.status_code == 302 and response.url == url("ticket", ticket)
    entry = ticket.entries.get(kind=EntryKind.RESPONSE)
    assert entry.body_text == "Unplug it." and entry.author_name == "Sam"
    assert fresh(ticket).state == State.PENDING
    assert last_event(ticket).event == Event.STATUS
    assert [mail.to for mail in mailoutbox] == [["rita@example.test"]]
    assert b"Reply posted." in sam_client.get(response.url).content


def test_a_reply_without_a_status_keeps_it(sam_client, ticket):
    assert sam_client.post(url("reply", ticket), {"body": "On it.", "status": ""}).status_code == 302
    assert fresh(ticket).status.name == "Open" and fresh(ticket).first_response_at is not None


def test_an_empty_reply_is_rejected(sam_client, ticket):
    response = sam_client.post(url("reply", ticket), {"body": ""})
    assert response.status_code == 400
    assert b"This field is required." in response.content
    assert not ticket.entries.filter(kind=EntryKind.RESPONSE).exists()


def test_an_internal_note_is_added_and_mailed_to_nobody(
    sam_client, ticket, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(url("note", ticket), {"body": "Toner again."})
    assert response.status_code == 302
    assert ticket.entries.get(kind=EntryKind.NOTE).body_text == "Toner again."
    assert mailoutbox == []
    assert b"Internal note added." in sam_client.get(response.url).content


def test_assigning_an_agent_and_a_team(sam_client, ticket, lena):
    team = TeamFactory(name="Printers")
    response = sam_client.post(url("assign", ticket), {"agent": lena.pk, "team": team.pk})
    assert response.status_code == 302
    ticket = fresh(ticket)
    assert (ticket.assignee, ticket.team) == (lena, team)
    event = last_event(ticket)
    assert (event.event, event.data["agent"]["name"], event.data["team"]["name"]) == (
        Event.ASSIGNED,
        "Lena",
        "Printers",
    )
    assert b"Sam assigned this to Lena and team Printers" in sam_client.get(response.url).content


def test_assign_to_me(sam_client, ticket, sam, lena):
    response = sam_client.post(url("assign", ticket), {"agent": lena.pk, "team": "", "me": "1"})
    assert response.status_code == 302
    assert fresh(ticket).assignee == sam
    assert b"Sam took this ticket" in sam_client.get(response.url).content


def test_clearing_both_unassigns(sam_client, ticket, sam):
    assign_ticket(actor=sam, ticket=ticket, agent=sam)
    assert sam_client.post(url("assign", ticket), {"agent": "", "team": ""}).status_code == 302
    assert fresh(ticket).assignee is None
    assert last_event(ticket).event == Event.UNASSIGNED


def test_a_transfer_that_takes_the_ticket_away_lands_on_the_open_queue(sam_client, ticket, it_department):
    response = sam_client.post(url("transfer", ticket), {"department": it_department.pk})
    assert response.status_code == 302
    assert response.url == reverse("staff:queue", args=["open"])
    assert fresh(ticket).department == it_department
    event = last_event(ticket)
    assert (event.event, event.data) == (
        Event.TRANSFERRED,
        {"department": ref(it_department), "previous": ref(ticket.topic.department)},
    )
    assert b"you no longer have access to it" in sam_client.get(response.url).content
    assert sam_client.get(url("ticket", ticket)).status_code == 404


def test_a_transfer_of_a_ticket_still_assigned_to_the_agent_returns_to_it(
    sam_client, ticket, sam, it_department
):
    assign_ticket(actor=sam, ticket=ticket, agent=sam)
    response = sam_client.post(url("transfer", ticket), {"department": it_department.pk})
    assert response.url == url("ticket", ticket)
    assert b"Sam transferred this from Support to IT" in sam_client.get(response.url).content


def test_setting_the_priority(sam_client, ticket):
    high = Priority.objects.get(name="High")
    response = sam_client.post(url("priority", ticket), {"priority": high.pk})
    assert response.status_code == 302
    assert fresh(ticket).priority == high
    assert b"Priority changed from Normal to High by Sam" in sam_client.get(response.url).content


def test_setting_and_removing_the_sla_plan(sam_client, ticket):
    urgent = SLAPlanFactory(name="Sev-A", hours=1)
    assert sam_client.post(url("sla", ticket), {"sla_plan": urgent.pk}).status_code == 302
    assert fresh(ticket).due_at == urgent.due_from(ticket.created_at)
    assert sam_client.post(url("sla", ticket), {"sla_plan": ""}).status_code == 302
    assert fresh(ticket).sla_plan is None and fresh(ticket).due_at is None
    content = sam_client.get(url("ticket", ticket)).content
    assert b"SLA plan changed from Sev-B to Sev-A by Sam" in content
    assert b"SLA plan changed from Sev-A to none by Sam" in content


def test_setting_the_status(sam_client, ticket):
    closed = TicketStatus.objects.get(name="Closed")
    response = sam_client.post(url("status", ticket), {"status": closed.pk})
    assert response.status_code == 302
    assert fresh(ticket).state == State.CLOSED
    assert b"Status changed from Open to Closed by Sam" in sam_client.get(response.url).content


def _refused_posts(it_department):
    return {
        "assign": lambda agent: {"agent": agent.pk, "team": ""},
        "transfer": lambda agent: {"department": it_department.pk},
        "priority": lambda agent: {"priority": Priority.objects.get(name="High").pk},
        "sla": lambda agent: {"sla_plan": ""},
        "status": lambda agent: {"status": TicketStatus.objects.get(name="Pending").pk},
    }


@pytest.mark.parametrize("operation", ["assign", "transfer", "priority", "sla", "status"])
def test_a_limited_agent_is_refused_with_403_and_nothing_changes(
    client_for, lena, ticket, it_department, operation
):
    before = ticket.entries.count()
    response = client_for(lena).post(url(operation, ticket), _refused_posts(it_department)[operation](lena))
    assert response.status_code == 403
    assert b"Lena may not" in response.content
    assert ticket.entries.count() == before
    unchanged = fresh(ticket)
    assert (unchanged.assignee, unchanged.department, unchanged.priority.name, unchanged.status.name) == (
        None,
        ticket.department,
        "Normal",
        "Open",
    )
    assert unchanged.sla_plan == ticket.sla_plan


def test_a_limited_agent_may_reply_but_not_close_with_the_reply(client_for, lena, ticket):
    lena_client = client_for(lena)
    closed = TicketStatus.objects.get(name="Closed")
    assert (
        lena_client.post(url("reply", ticket), {"body": "Closing.", "status": closed.pk}).status_code == 403
    )
    assert not ticket.entries.filter(kind=EntryKind.RESPONSE).exists()
    assert lena_client.post(url("reply", ticket), {"body": "Looking."}).status_code == 302


@pytest.mark.parametrize("operation", ["reply", "note", "assign", "transfer", "priority", "sla", "status"])
def test_an_agent_who_cannot_see_the_ticket_gets_404(client_for, ivan, ticket, it_department, operation):
    data = {"body": "x", **_refused_posts(it_department).get(operation, lambda agent: {})(ivan)}
    before = ticket.entries.count()
    assert client_for(ivan).post(url(operation, ticket), data).status_code == 404
    assert ticket.entries.count() == before  # no reply, note or change event
    assert fresh(ticket).department != it_department


@pytest.mark.parametrize("operation", ["reply", "note", "assign", "transfer", "priority", "sla", "status"])
def test_a_get_on_an_operation_is_405(sam_client, ticket, operation):
    assert sam_client.get(url(operation, ticket)).status_code == 405


def test_an_invalid_choice_rerenders_the_page_with_the_error(sam_client, ticket):
    response = sam_client.post(url("priority", ticket), {"priority": 999999})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert b'id="priority-priority"' in response.content


def test_posts_without_the_csrf_token_are_refused(sam, ticket):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sam.user)
    assert client.post(url("note", ticket), {"body": "Sneaky"}).status_code == 403
    assert not ticket.entries.filter(kind=EntryKind.NOTE).exists()


@pytest.mark.parametrize("operation", ["reply", "note", "assign", "transfer", "priority", "sla", "status"])
def test_a_form_is_shown_exactly_when_its_action_would_accept_it(
    client_for, ivan, ada, ticket, it_department, operation
):
    # Ivan works in IT; on this Support ticket (his until it came back) he holds only what an assignee is
    # granted within his role.
    assign_from_elsewhere(ticket, ivan, by=ada)
    ivan_client = client_for(ivan)
    shown = f'action="{url(operation, ticket)}"' in ivan_client.get(url("ticket", ticket)).content.decode()
    data = {"body": "x", **_refused_posts(it_department).get(operation, lambda agent: {})(ivan)}
    response = ivan_client.post(url(operation, ticket), data)
    assert response.status_code == (302 if shown else 403)

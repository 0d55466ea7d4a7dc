"""assign_ticket and transfer_ticket: who works the ticket, and in which department."""

import pytest

from helpline.testsupport.factories import AgentFactory, DepartmentFactory, TeamFactory
from helpline.tickets.actions import assign_ticket, transfer_ticket
from helpline.tickets.models import Event
from helpline.tickets.policy import NotAllowed, can
from helpline.tickets.tests.helpers import events, last_event, ref, snapshot


@pytest.fixture
def desk(db):
    return TeamFactory(name="Desk")


def test_assigning_an_agent_records_who_and_by_whom(ticket, sam, lena):
    assigned = assign_ticket(actor=sam, ticket=ticket, agent=lena)
    assert assigned.assignee == lena and assigned.team is None
    ticket.refresh_from_db()
    assert ticket.assignee == lena and ticket.updated_at == assigned.updated_at
    event = last_event(ticket)
    assert (event.event, event.author_agent) == (Event.ASSIGNED, sam)
    assert event.data == {
        "agent": ref(lena),
        "team": None,
        "previous_agent": None,
        "previous_team": None,
        "topic": None,
        "pool": None,
        "strategy": "",
    }


def test_assigning_a_team(ticket, sam, desk):
    assign_ticket(actor=sam, ticket=ticket, team=desk)
    ticket.refresh_from_db()
    assert ticket.team == desk and ticket.assignee is None
    data = last_event(ticket).data
    assert (data["agent"], data["team"]) == (None, ref(desk))


def test_assigning_an_agent_and_a_team_together(ticket, sam, lena, desk):
    assign_ticket(actor=sam, ticket=ticket, agent=lena, team=desk)
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.team) == (lena, desk)
    data = last_event(ticket).data
    assert (data["agent"], data["team"]) == (ref(lena), ref(desk))


def test_assigning_replaces_the_previous_assignment(ticket, sam, lena, desk):
    assign_ticket(actor=sam, ticket=ticket, agent=lena, team=desk)
    assign_ticket(actor=sam, ticket=ticket, agent=sam)
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.team) == (sam, None)
    data = last_event(ticket).data
    assert (data["previous_agent"], data["previous_team"]) == (ref(lena), ref(desk))


def test_unassigning(ticket, sam, desk):
    assign_ticket(actor=sam, ticket=ticket, agent=sam, team=desk)
    assign_ticket(actor=sam, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.assignee is None and ticket.team is None
    assert (last_event(ticket).event, last_event(ticket).data) == (
        Event.UNASSIGNED,
        {"previous_agent": ref(sam), "previous_team": ref(desk)},
    )


def test_assigning_to_the_current_assignment_changes_nothing(ticket, sam):
    assign_ticket(actor=sam, ticket=ticket, agent=sam)
    before = snapshot(ticket)
    assign_ticket(actor=sam, ticket=ticket, agent=sam)
    assert snapshot(ticket) == before


def test_only_active_agents_and_teams_can_be_assigned(ticket, sam, lena, desk):
    lena.user.is_active = False
    lena.user.save()
    desk.is_active = False
    desk.save()
    before = snapshot(ticket)
    with pytest.raises(NotAllowed):
        assign_ticket(actor=sam, ticket=ticket, agent=lena)
    with pytest.raises(NotAllowed):
        assign_ticket(actor=sam, ticket=ticket, team=desk)
    assert snapshot(ticket) == before


def test_only_agents_who_work_the_department_can_be_assigned(ticket, ada, ivan, lena):
    before = snapshot(ticket)
    with pytest.raises(NotAllowed, match="does not work in Support"):
        assign_ticket(actor=ada, ticket=ticket, agent=ivan)
    assert snapshot(ticket) == before and not can(ivan, "view", ticket)
    assign_ticket(actor=ada, ticket=ticket, agent=lena)  # Limited, but in Support
    ticket.refresh_from_db()
    assert ticket.assignee == lena


def test_the_department_manager_and_administrators_can_be_assigned(ticket, sam, ada, ivan, support):
    support.manager = ivan
    support.save()
    assign_ticket(actor=sam, ticket=ticket, agent=ivan)
    assign_ticket(actor=sam, ticket=ticket, agent=ada)
    ticket.refresh_from_db()
    assert ticket.assignee == ada


def test_an_assignee_who_stays_with_a_transferred_ticket_works_it_within_their_role(
    ticket, ada, sam, lena, ivan
):
    """The role is the ceiling: outside their departments, an assignee may do what the assignment allows
    (view, reply, note, status, close) and their roles grant, never more."""
    assign_ticket(actor=ada, ticket=ticket, agent=sam)
    it = ivan.memberships.get().department
    transfer_ticket(actor=ada, ticket=ticket, department=it)
    ticket.refresh_from_db()
    assert all(can(sam, perm, ticket) for perm in ("view", "reply", "note", "status", "close"))
    assert not any(can(sam, perm, ticket) for perm in ("assign", "transfer", "edit", "create", "delete"))
    assign_ticket(actor=ada, ticket=ticket, agent=ivan)
    transfer_ticket(actor=ada, ticket=ticket, department=lena.memberships.get().department)
    assign_ticket(actor=ada, ticket=ticket, agent=lena)
    transfer_ticket(actor=ada, ticket=ticket, department=it)
    ticket.refresh_from_db()
    assert ticket.assignee == lena  # Limited: view, reply and note, whatever the assignment would allow
    assert [perm for perm in ("view", "reply", "note", "status", "close") if can(lena, perm, ticket)] == [
        "view",
        "reply",
        "note",
    ]


def test_assignment_adds_nothing_to_the_role_in_the_agents_own_department(ticket, ada, lena):
    assign_ticket(actor=ada, ticket=ticket, agent=lena)
    ticket.refresh_from_db()
    assert can(lena, "reply", ticket)
    assert not any(can(lena, perm, ticket) for perm in ("status", "close", "assign", "edit"))


def test_team_members_work_their_teams_tickets_outside_their_departments(ticket, ada, ivan, desk):
    ivan.teams.add(desk)
    assign_ticket(actor=ada, ticket=ticket, team=desk)
    ticket.refresh_from_db()
    assert can(ivan, "reply", ticket) and not can(ivan, "transfer", ticket)


# --- transfer ------------------------------------------------------------------------------------------------


def test_transferring_moves_the_ticket_and_keeps_the_assignment(ticket, sam, it_department):
    assign_ticket(actor=sam, ticket=ticket, agent=sam)
    moved = transfer_ticket(actor=sam, ticket=ticket, department=it_department)
    ticket.refresh_from_db()
    assert ticket.department == it_department == moved.department
    assert ticket.assignee == sam
    event = last_event(ticket)
    assert (event.event, event.author_agent) == (Event.TRANSFERRED, sam)
    assert event.data == {"department": ref(it_department), "previous": ref(ticket.topic.department)}


def test_after_a_transfer_the_old_department_loses_the_ticket(ticket, sam, lena, ivan, it_department):
    transfer_ticket(actor=sam, ticket=ticket, department=it_department)
    ticket.refresh_from_db()
    assert not can(lena, "view", ticket)
    assert can(ivan, "assign", ticket)


def test_transferring_to_the_same_department_changes_nothing(ticket, sam, support):
    before = snapshot(ticket)
    transfer_ticket(actor=sam, ticket=ticket, department=support)
    assert snapshot(ticket) == before


def test_no_transfer_to_an_inactive_department(ticket, sam):
    closed_down = DepartmentFactory(name="Archive", is_active=False)
    before = snapshot(ticket)
    with pytest.raises(NotAllowed):
        transfer_ticket(actor=sam, ticket=ticket, department=closed_down)
    assert snapshot(ticket) == before


def test_an_agent_in_both_departments_may_transfer(ticket, support, it_department):
    both = AgentFactory(departments=[support, it_department])
    transfer_ticket(actor=both, ticket=ticket, department=it_department)
    assert events(ticket)[-1] == Event.TRANSFERRED

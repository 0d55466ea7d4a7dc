"""claim_ticket: an agent takes an unassigned ticket, when their role grants it; and open_ticket_counts, the
load that automatic assignment balances."""

import pytest
from django.contrib.auth.models import User

from helpline.people.models import Role
from helpline.testsupport.factories import AgentFactory, TeamFactory, UserFactory
from helpline.tickets.actions import assign_ticket, claim_ticket, set_status, transfer_ticket
from helpline.tickets.models import Event
from helpline.tickets.policy import NotAllowed, NotClaimable, can_claim
from helpline.tickets.tests.helpers import last_event, ref, snapshot
from helpline.tickets.workload import open_ticket_counts


def test_an_agent_takes_an_unassigned_ticket(ticket, sam):
    assert can_claim(sam, ticket)
    taken = claim_ticket(actor=sam, ticket=ticket)
    assert taken.assignee == sam and taken.team is None
    event = last_event(ticket)
    assert (event.event, event.author_agent) == (Event.ASSIGNED, sam)
    assert (event.data["agent"], event.data["previous_agent"]) == (ref(sam), None)
    assert not can_claim(sam, taken)


def test_the_manager_role_and_an_administrator_may_take_tickets(ticket, mia, ada):
    assert can_claim(mia, ticket) and can_claim(ada, ticket)
    claim_ticket(actor=mia, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.assignee == mia


def test_the_limited_role_may_not(ticket, lena):
    before = snapshot(ticket)
    assert not can_claim(lena, ticket)
    with pytest.raises(NotAllowed, match="Lena may not take unassigned tickets of Support"):
        claim_ticket(actor=lena, ticket=ticket)
    assert snapshot(ticket) == before


def test_a_role_needs_the_claim_permission_and_nothing_more(ticket, support):
    takers = Role.objects.create(name="Takers", permissions=["view", "claim"])
    agent = AgentFactory(departments=[support], departments__role=takers)
    claim_ticket(actor=agent, ticket=ticket)  # without the assign permission
    ticket.refresh_from_db()
    assert ticket.assignee == agent
    watchers = Role.objects.create(name="Watchers", permissions=["view", "assign"])
    other = AgentFactory(departments=[support], departments__role=watchers)
    assert not can_claim(other, ticket)


def test_an_assigned_ticket_cannot_be_taken(ticket, sam, mia):
    ticket = assign_ticket(actor=sam, ticket=ticket, agent=sam)
    before = snapshot(ticket)
    assert not can_claim(mia, ticket)
    with pytest.raises(NotClaimable, match="is assigned already"):
        claim_ticket(actor=mia, ticket=ticket)
    assert snapshot(ticket) == before


def test_a_ticket_taken_meanwhile_is_refused_on_the_fresh_row(ticket, sam, mia):
    stale = type(ticket).objects.get(pk=ticket.pk)  # loaded before Sam took it
    claim_ticket(actor=sam, ticket=ticket)
    with pytest.raises(NotClaimable):
        claim_ticket(actor=mia, ticket=stale)
    ticket.refresh_from_db()
    assert ticket.assignee == sam


def test_another_departments_ticket_cannot_be_taken(ticket, ivan, ada, it_department):
    assert not can_claim(ivan, ticket)
    with pytest.raises(NotAllowed, match="Ivan may not take unassigned tickets of Support"):
        claim_ticket(actor=ivan, ticket=ticket)
    transfer_ticket(actor=ada, ticket=ticket, department=it_department)
    ticket.refresh_from_db()
    claim_ticket(actor=ivan, ticket=ticket)


def test_a_finished_ticket_cannot_be_taken(ticket, sam, status):
    set_status(actor=sam, ticket=ticket, status=status("resolved"))
    ticket.refresh_from_db()
    with pytest.raises(NotClaimable, match="is resolved"):
        claim_ticket(actor=sam, ticket=ticket)


def test_a_teams_ticket_is_taken_by_its_members_and_stays_with_the_team(ticket, sam, mia):
    desk = TeamFactory(name="Desk")
    sam.teams.add(desk)
    assign_ticket(actor=mia, ticket=ticket, team=desk)
    ticket.refresh_from_db()
    assert not can_claim(mia, ticket)  # not in the team
    with pytest.raises(NotClaimable, match="with a team you are not in"):
        claim_ticket(actor=mia, ticket=ticket)
    claim_ticket(actor=sam, ticket=ticket)
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.team) == (sam, desk)
    assert last_event(ticket).data["previous_team"] == ref(desk)


def test_a_deactivated_agent_and_a_requester_cannot_take_tickets(ticket, sam, rita):
    User.objects.filter(pk=sam.user.pk).update(is_active=False)
    sam.user.refresh_from_db()
    assert not can_claim(sam, ticket) and not can_claim(rita, ticket)
    with pytest.raises(NotAllowed):
        claim_ticket(actor=rita, ticket=ticket)


def test_the_shipped_roles_grant_taking_tickets_to_managers_and_agents_only(db):
    grants = {role.name: "claim" in role.grants() for role in Role.objects.all()}
    assert grants == {"Manager": True, "Agent": True, "Limited": False}


def test_open_ticket_counts_count_open_and_pending_tickets_per_agent_in_every_department(
    open_for, rita, support_topic, it_department, sam, ada, status
):
    ivy = AgentFactory(user=UserFactory(username="ivy"), departments=[support_topic.department])
    tickets = [open_for(rita, support_topic, subject=f"s{n}") for n in range(5)]
    for ticket in tickets:
        assign_ticket(actor=ada, ticket=ticket, agent=sam)
    transfer_ticket(actor=ada, ticket=tickets[4], department=it_department)  # still Sam's
    set_status(actor=ada, ticket=tickets[2], status=status("pending"))
    set_status(actor=ada, ticket=tickets[3], status=status("closed"))
    assert open_ticket_counts([sam.pk, ivy.pk]) == {sam.pk: 4}
    assert open_ticket_counts([]) == {}

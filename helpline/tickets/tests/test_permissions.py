"""Every refusal: the action raises NotAllowed and leaves the ticket, its thread and the outbox untouched."""

from types import SimpleNamespace

import pytest

from conftest import open_with_hints
from helpline.catalog.models import Priority, State, TicketStatus
from helpline.people.models import Agent
from helpline.testsupport.factories import SLAPlanFactory, TeamFactory
from helpline.tickets.actions import (
    add_note,
    assign_ticket,
    post_message,
    post_reply,
    reopen_ticket,
    set_priority,
    set_sla_plan,
    set_status,
    transfer_ticket,
)
from helpline.tickets.models import Event
from helpline.tickets.policy import NotAllowed
from helpline.tickets.queries import visible_tickets
from helpline.tickets.tests.helpers import assign_from_elsewhere, events, snapshot


@pytest.fixture
def world(rita, it_department, sam):
    return SimpleNamespace(
        rita=rita,
        sam=sam,
        it=it_department,
        high=Priority.objects.get(name="High"),
        plan=SLAPlanFactory(name="Sev-A", hours=1),
        team=TeamFactory(name="Desk"),
        status={state: TicketStatus.default_for(state) for state in State},
    )


def _message(actor, ticket, w):
    # Agents enter messages on the requester's behalf; requesters write their own.
    author = w.rita if isinstance(actor, Agent) else None
    return post_message(actor=actor, ticket=ticket, body="message", author=author)


ACTIONS = {
    "post_message": _message,
    "post_reply": lambda actor, t, w: post_reply(actor=actor, ticket=t, body="reply"),
    "add_note": lambda actor, t, w: add_note(actor=actor, ticket=t, body="note"),
    "assign_agent": lambda actor, t, w: assign_ticket(actor=actor, ticket=t, agent=w.sam),
    "assign_team": lambda actor, t, w: assign_ticket(actor=actor, ticket=t, team=w.team),
    "transfer": lambda actor, t, w: transfer_ticket(actor=actor, ticket=t, department=w.it),
    "priority": lambda actor, t, w: set_priority(actor=actor, ticket=t, priority=w.high),
    "priority_unchanged": lambda actor, t, w: set_priority(actor=actor, ticket=t, priority=t.priority),
    "sla": lambda actor, t, w: set_sla_plan(actor=actor, ticket=t, sla_plan=w.plan),
    "pending": lambda actor, t, w: set_status(actor=actor, ticket=t, status=w.status[State.PENDING]),
    "resolve": lambda actor, t, w: set_status(actor=actor, ticket=t, status=w.status[State.RESOLVED]),
    "close": lambda actor, t, w: set_status(actor=actor, ticket=t, status=w.status[State.CLOSED]),
    "status_unchanged": lambda actor, t, w: set_status(actor=actor, ticket=t, status=w.status[State.OPEN]),
}
REOPEN = {
    "reopen": lambda actor, t, w: reopen_ticket(actor=actor, ticket=t),
    "reopen_by_status": lambda actor, t, w: set_status(actor=actor, ticket=t, status=w.status[State.OPEN]),
}
CHANGES = [name for name in ACTIONS if name not in {"post_message", "post_reply", "add_note"}]


def assert_refused(action, actor, ticket, world):
    before = snapshot(ticket)
    with pytest.raises(NotAllowed):
        action(actor, ticket, world)
    assert snapshot(ticket) == before


@pytest.fixture
def closed(ticket, sam, world):
    set_status(actor=sam, ticket=ticket, status=world.status[State.CLOSED])
    ticket.refresh_from_db()
    return ticket


@pytest.mark.parametrize("name", ACTIONS)
def test_an_agent_of_another_department_may_do_nothing(ticket, ivan, world, name):
    assert_refused(ACTIONS[name], ivan, ticket, world)


@pytest.mark.parametrize("name", REOPEN)
def test_an_agent_of_another_department_may_not_reopen(closed, ivan, world, name):
    assert_refused(REOPEN[name], ivan, closed, world)


@pytest.mark.parametrize("name", CHANGES)
def test_a_limited_agent_may_not_change_the_ticket(ticket, lena, world, name):
    assert_refused(ACTIONS[name], lena, ticket, world)


@pytest.mark.parametrize("name", REOPEN)
def test_a_limited_agent_may_not_reopen(closed, lena, world, name):
    assert_refused(REOPEN[name], lena, closed, world)


@pytest.mark.parametrize("name", ACTIONS)
def test_a_requester_may_do_nothing_on_someone_elses_ticket(ticket, olga, world, name):
    assert_refused(ACTIONS[name], olga, ticket, world)


@pytest.mark.parametrize("name", REOPEN)
def test_a_requester_may_not_reopen_someone_elses_ticket(closed, olga, world, name):
    assert_refused(REOPEN[name], olga, closed, world)


def test_a_collaborator_may_write_but_not_close_or_reopen(open_for, rita, carl, support_topic, sam, world):
    shared = open_for(rita, support_topic, collaborators=[carl])
    post_message(actor=carl, ticket=shared, body="Same here.")
    assert_refused(ACTIONS["close"], carl, shared, world)
    assert_refused(ACTIONS["pending"], carl, shared, world)
    set_status(actor=sam, ticket=shared, status=world.status[State.CLOSED])
    shared.refresh_from_db()
    for action in REOPEN.values():
        assert_refused(action, carl, shared, world)


@pytest.mark.parametrize("name", ACTIONS)
def test_a_deactivated_agent_may_do_nothing(ticket, sam, world, name):
    sam.user.is_active = False
    sam.user.save()
    assert_refused(ACTIONS[name], sam, ticket, world)


def test_a_deactivated_agent_sees_nothing_and_opens_nothing(ticket, sam, rita, support):
    sam.user.is_active = False
    sam.user.save()
    assert not visible_tickets(sam).exists()
    with pytest.raises(NotAllowed):
        open_with_hints(actor=sam, requester=rita, department=support, subject="x", body="y")


@pytest.mark.parametrize("name", REOPEN)
def test_a_deactivated_agent_may_not_reopen(closed, sam, world, name):
    sam.user.is_active = False
    sam.user.save()
    assert_refused(REOPEN[name], sam, closed, world)


def test_an_administrator_may_do_everything(ticket, ada, world, rita):
    for name in ["post_message", "post_reply", "add_note", "assign_agent", "assign_team", "priority", "sla"]:
        ACTIONS[name](ada, ticket, world)
    ACTIONS["pending"](ada, ticket, world)
    ACTIONS["close"](ada, ticket, world)
    REOPEN["reopen"](ada, ticket, world)
    ACTIONS["transfer"](ada, ticket, world)
    assert events(ticket)[1:] == [
        Event.ASSIGNED,
        Event.ASSIGNED,
        Event.PRIORITY,
        Event.SLA,
        Event.STATUS,
        Event.STATUS,
        Event.REOPENED,
        Event.TRANSFERRED,
    ]
    ticket.refresh_from_db()
    assert ticket.department == world.it and ticket.state == State.OPEN
    assert open_with_hints(actor=ada, requester=rita, department=world.it, subject="x", body="y").pk


def test_an_assignee_from_another_department_works_the_ticket_but_may_not_transfer(ticket, ada, ivan, world):
    assign_from_elsewhere(ticket, ivan, by=ada)
    post_reply(actor=ivan, ticket=ticket, body="On it.")
    add_note(actor=ivan, ticket=ticket, body="Cable issue.")
    assert ticket in visible_tickets(ivan)
    for name in ["transfer", "assign_agent", "sla"]:
        assert_refused(ACTIONS[name], ivan, ticket, world)

"""Fixtures for the assignment tests: agents of Support with their availability, and tickets handed out as
the ticket actions hand them out (the choice and the assignment in one transaction)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from conftest import open_with_hints
from helpline.routing.assignment import next_assignee
from helpline.testsupport.factories import AgentFactory, UserFactory
from helpline.tickets.actions import assign_ticket
from helpline.tickets.workload import open_ticket_counts

TODAY = timezone.localdate


@pytest.fixture
def member(support):
    """``member("bea", is_away=True)``: an agent of Support (the Agent role) with these fields."""

    def make(username: str, department=None, **fields):
        agent = AgentFactory(
            user=UserFactory(username=username, first_name=username.title()),
            departments=[department or support],
        )
        for name, value in fields.items():
            setattr(agent, name, value)
        agent.save()
        return agent

    return make


@pytest.fixture
def vacation():
    """Vacation fields: ``vacation(-1, 3)`` began yesterday and ends in three days."""

    def days(starts: int | None, ends: int | None) -> dict:
        today = TODAY()
        return {
            "vacation_from": None if starts is None else today + timedelta(days=starts),
            "vacation_until": None if ends is None else today + timedelta(days=ends),
        }

    return days


@pytest.fixture
def new_ticket(ada, rita, support):
    """An unassigned ticket of Support (or ``department``), opened by the administrator for Rita."""

    def open_one(subject: str = "Printer on fire", department=None):
        return open_with_hints(
            actor=ada, requester=rita, department=department or support, subject=subject, body="Help."
        )

    return open_one


@pytest.fixture
def hand_out(ada):
    """Choose the assignee of ``ticket`` and assign it, in one transaction, as opening a ticket does.
    Returns the agent, or None when the pool chose nobody."""

    def hand(ticket, team=None):
        with transaction.atomic():
            choice = next_assignee(department=ticket.department, team=team, count_open=open_ticket_counts)
            if choice is not None:
                assign_ticket(actor=ada, ticket=ticket, agent=choice.agent, team=team)
        return choice and choice.agent

    return hand


@pytest.fixture
def give(ada, new_ticket):
    """Give ``agent`` ``count`` open tickets of their own (their load before a test begins)."""

    def load(agent, count: int):
        for n in range(count):
            assign_ticket(actor=ada, ticket=new_ticket(f"Earlier {n}"), agent=agent)

    return load

"""Fixtures for the assignment tests: agents of Support with their availability, and tickets handed out by
opening them, as every new ticket is (the choice and the assignment in the opening's transaction)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import open_with_hints
from helpline.people.models import Department
from helpline.testsupport.factories import AgentFactory, UserFactory

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
    """A ticket of Support (or ``department``, for ``team``), opened by the administrator for Rita with no
    agent chosen: the pool's strategy hands it out, as it does every new ticket."""

    def open_one(subject: str = "Printer on fire", department=None, team=None):
        department = Department.objects.get(pk=(department or support).pk)  # as a request would load it
        return open_with_hints(
            actor=ada, requester=rita, department=department, team=team, subject=subject, body="Help."
        )

    return open_one


@pytest.fixture
def hand_out(new_ticket):
    """Open a ticket and return the agent its pool handed it to, or None when the pool chose nobody."""

    def hand(subject: str = "Printer on fire", team=None):
        return new_ticket(subject, team=team).assignee

    return hand


@pytest.fixture
def give(ada, rita, support):
    """Give ``agent`` ``count`` open tickets of their own (their load before a test begins)."""

    def load(agent, count: int):
        for n in range(count):
            open_with_hints(
                actor=ada,
                requester=rita,
                department=support,
                assignee=agent,
                subject=f"Earlier {n}",
                body="Help.",
            )

    return load

"""Choices made at the same moment, from real threads with their own connections, committing for real (on
SQLite and PostgreSQL alike, as the suite runs on both): no round-robin turn is taken twice, and least-open
counts what the opening before it assigned, as tickets are opened."""

from collections import Counter

import pytest
from django.db import transaction

from helpline.people.models import AssignmentStrategy, Department
from helpline.routing.assignment import next_assignee
from helpline.testsupport.threads import at_the_same_moment
from helpline.tickets.workload import open_ticket_counts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def choose_in(department_id: int) -> int | None:
    """One choice in its own transaction, on a copy of the department as a request would load it."""
    with transaction.atomic():
        choice = next_assignee(
            department=Department.objects.get(pk=department_id), count_open=open_ticket_counts
        )
    return choice and choice.agent.pk


def test_choices_at_once_never_take_the_same_turn(support, member):
    agents = sorted(member(f"agent{n}").pk for n in range(4))
    Department.objects.filter(pk=support.pk).update(assignment_strategy=AssignmentStrategy.ROUND_ROBIN)
    chosen = at_the_same_moment([lambda: choose_in(support.pk)] * 8)
    assert Counter(chosen) == dict.fromkeys(agents, 2), chosen
    # The turn order stands after the last agent chosen: the next choice starts the circle again.
    assert choose_in(support.pk) == agents[0]


def test_openings_at_once_under_least_open_each_count_the_one_before(support, member, new_ticket, give):
    busy, idle = member("busy"), member("idle")
    give(busy, 2)
    Department.objects.filter(pk=support.pk).update(assignment_strategy=AssignmentStrategy.LEAST_OPEN)
    opened = at_the_same_moment([lambda n=n: new_ticket(f"At once {n}").assignee_id for n in range(4)])
    assert None not in opened
    # Two tickets to the idle agent first, then one each: 3 and 3, not 2 and 4 or 6 and 0.
    assert open_ticket_counts([busy.pk, idle.pk]) == {busy.pk: 3, idle.pk: 3}

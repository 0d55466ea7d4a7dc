"""Fairness: 100 tickets of a department handed out by round-robin and by least open tickets as they are
opened (``open_ticket`` choosing with ``next_assignee`` and the ticket domain's count of open tickets), skipping an
agent who is away, one on vacation and one at their open-ticket limit."""

from collections import Counter

import pytest

from helpline.catalog.models import TicketStatus
from helpline.people.models import AssignmentStrategy, Department
from helpline.tickets.actions import set_status
from helpline.tickets.models import Ticket
from helpline.tickets.workload import open_ticket_counts

TICKETS = 100


@pytest.fixture
def staff(member, vacation, give, sam, lena, ada, support):
    """Support's agents: three who take tickets (Sam, Bea, whose vacation ended yesterday, and Carl, whose
    vacation starts tomorrow) and three who must be skipped; Lena (Limited) works elsewhere here."""
    lena.memberships.all().delete()
    skipped = {
        "away": member("dora", is_away=True),
        "vacation": member("eve", **vacation(-2, 2)),
        "limit": member("finn", open_ticket_limit=2),
    }
    give(skipped["limit"], 2)
    takers = [sam, member("bea", **vacation(-10, -1)), member("carl", **vacation(1, 5))]
    return takers, skipped


def use(department: Department, strategy: AssignmentStrategy) -> None:
    department.assignment_strategy = strategy
    department.save(update_fields=["assignment_strategy"])


def hand_out_many(hand_out) -> Counter:
    chosen = Counter()
    for n in range(TICKETS):
        agent = hand_out(f"Ticket {n}")
        assert agent is not None
        chosen[agent.pk] += 1
    return chosen


def test_round_robin_gives_each_available_agent_a_hundredth_share_within_one(staff, support, hand_out, ada):
    takers, skipped = staff
    use(support, AssignmentStrategy.ROUND_ROBIN)
    chosen = hand_out_many(hand_out)
    shares = [chosen[agent.pk] for agent in takers]
    assert sum(shares) == TICKETS
    assert all(TICKETS // len(takers) <= share <= TICKETS // len(takers) + 1 for share in shares), shares
    assert not any(chosen[agent.pk] for agent in (*skipped.values(), ada))
    # In turn, by agent id: each ticket went to the next agent after the one before.
    order = list(
        Ticket.objects.filter(subject__startswith="Ticket ")
        .order_by("pk")
        .values_list("assignee_id", flat=True)[: 2 * len(takers)]
    )
    ids = sorted(agent.pk for agent in takers)
    assert order == ids + ids


def test_least_open_evens_out_unequal_loads(staff, support, hand_out, give, ada):
    takers, skipped = staff
    sam, bea, carl = takers
    give(sam, 9)
    give(carl, 4)
    use(support, AssignmentStrategy.LEAST_OPEN)
    chosen = hand_out_many(hand_out)
    loads = open_ticket_counts(agent.pk for agent in takers)
    assert sum(loads.values()) == TICKETS + 9 + 4
    assert max(loads.values()) - min(loads.values()) <= 1, loads
    # The least loaded caught up first: Bea took every ticket until she had as many as Carl.
    first = list(Ticket.objects.filter(subject__startswith="Ticket ").order_by("pk")[:4])
    assert [ticket.assignee_id for ticket in first] == [bea.pk] * 4
    assert not any(chosen[agent.pk] for agent in (*skipped.values(), ada))
    assert open_ticket_counts([skipped["limit"].pk]) == {skipped["limit"].pk: 2}


def test_finished_tickets_free_room_under_the_limit(member, support, hand_out, give, ada):
    use(support, AssignmentStrategy.LEAST_OPEN)
    capped = member("gus", open_ticket_limit=1)
    give(capped, 1)
    assert hand_out() is None  # the only agent is at the limit (Sam is not in this test)
    resolved = Ticket.objects.get(assignee=capped)
    set_status(actor=ada, ticket=resolved, status=TicketStatus.objects.get(name="Resolved"))
    assert hand_out() == capped


def test_manual_only_hands_out_nothing(staff, support, hand_out):
    assert support.assignment_strategy == AssignmentStrategy.MANUAL
    assert hand_out() is None
    assert not Ticket.objects.filter(subject="Printer on fire", assignee__isnull=False).exists()

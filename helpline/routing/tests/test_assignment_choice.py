"""The choice of an assignee, as a pure function: who is skipped, the turn order, the tie-breaks."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpline.people.models import AssignmentStrategy
from helpline.routing.assignment import Candidate, choose_assignee

RR, LEAST, MANUAL = AssignmentStrategy.ROUND_ROBIN, AssignmentStrategy.LEAST_OPEN, AssignmentStrategy.MANUAL


def free(agent_id: int, open_tickets: int = 0, limit: int | None = None) -> Candidate:
    return Candidate(agent_id=agent_id, available=True, open_tickets=open_tickets, limit=limit)


def away(agent_id: int) -> Candidate:
    return Candidate(agent_id=agent_id, available=False, open_tickets=0)


def test_manual_only_chooses_nobody():
    assert choose_assignee(MANUAL, [free(1), free(2)], None) is None


def test_nobody_eligible_means_nobody():
    candidates = [away(1), free(2, open_tickets=3, limit=3), free(3, open_tickets=5, limit=2)]
    for strategy in (RR, LEAST):
        assert choose_assignee(strategy, candidates, None) is None
        assert choose_assignee(strategy, [], None) is None


def test_an_unknown_strategy_is_an_error():
    with pytest.raises(ValueError, match="Unknown assignment strategy"):
        choose_assignee("alphabetical", [free(1)], None)


def test_round_robin_starts_at_the_lowest_id_and_continues_after_the_last_one_chosen():
    candidates = [free(30), free(10), free(20)]
    assert choose_assignee(RR, candidates, None) == 10
    assert choose_assignee(RR, candidates, 10) == 20
    assert choose_assignee(RR, candidates, 20) == 30
    assert choose_assignee(RR, candidates, 30) == 10  # wraps around


def test_round_robin_continues_after_an_agent_who_left_the_pool():
    assert choose_assignee(RR, [free(10), free(30)], 20) == 30
    assert choose_assignee(RR, [free(10), free(30)], 99) == 10


def test_round_robin_skips_the_away_and_those_at_or_over_their_limit():
    candidates = [free(1), away(2), free(3, open_tickets=4, limit=4), free(4, open_tickets=3, limit=4)]
    assert choose_assignee(RR, candidates, 1) == 4
    assert choose_assignee(RR, candidates, 4) == 1


def test_a_limit_of_zero_takes_no_ticket_automatically():
    assert choose_assignee(RR, [free(1, limit=0), free(2)], None) == 2


def test_least_open_takes_the_least_loaded_eligible_agent():
    candidates = [free(1, 5), free(2, 2), away(3), free(4, 1, limit=1), free(5, 3)]
    assert choose_assignee(LEAST, candidates, None) == 2


def test_least_open_serves_equal_loads_in_turn():
    candidates = [free(1, 2), free(2, 2), free(3, 2), free(4, 7)]
    assert choose_assignee(LEAST, candidates, None) == 1
    assert choose_assignee(LEAST, candidates, 1) == 2
    assert choose_assignee(LEAST, candidates, 3) == 1


def test_the_choice_does_not_depend_on_the_order_candidates_come_in():
    candidates = [free(1, 2), free(2, 1), free(3, 1), away(4)]
    for strategy in (RR, LEAST):
        for last in (None, 1, 2, 3, 4):
            assert choose_assignee(strategy, candidates, last) == choose_assignee(
                strategy, list(reversed(candidates)), last
            )


pools = st.lists(
    st.builds(
        Candidate,
        agent_id=st.integers(1, 40),
        available=st.booleans(),
        open_tickets=st.integers(0, 10),
        limit=st.none() | st.integers(0, 10),
    ),
    max_size=12,
    unique_by=lambda candidate: candidate.agent_id,
)


@given(pools, st.sampled_from([RR, LEAST]), st.none() | st.integers(0, 41))
def test_the_chosen_agent_is_always_an_eligible_candidate(candidates, strategy, last):
    chosen = choose_assignee(strategy, candidates, last)
    eligible = {c.agent_id for c in candidates if c.eligible}
    assert (chosen in eligible) if eligible else chosen is None


@given(pools, st.integers(1, 60))
def test_round_robin_gives_each_eligible_agent_an_equal_share_within_one(candidates, tickets):
    last, given_out = None, Counter[int]()
    for _ in range(tickets):
        last = choose_assignee(RR, candidates, last)
        if last is None:
            break
        given_out[last] += 1
    eligible = [c.agent_id for c in candidates if c.eligible]
    if eligible:
        shares = [given_out[agent_id] for agent_id in eligible]
        assert max(shares) - min(shares) <= 1 and sum(shares) == tickets

"""visible_tickets and the staff queues built on it."""

from types import SimpleNamespace

import pytest
import time_machine

from helpline.catalog.models import State, TicketStatus
from helpline.people.actors import SLA_JOB, Channel, ChannelActor
from helpline.people.models import Agent
from helpline.people.permissions import Perm
from helpline.testsupport.factories import AgentFactory, RequesterFactory, TeamFactory
from helpline.tickets.actions import assign_ticket, set_status, transfer_ticket
from helpline.tickets.models import Ticket
from helpline.tickets.policy import sees
from helpline.tickets.queries import QUEUES, queue_counts, queue_tickets, visible_tickets
from helpline.tickets.tests.helpers import T0


@pytest.fixture
def desk(lena):
    team = TeamFactory(name="Desk")
    lena.teams.add(team)
    return team


@pytest.fixture
def board(open_for, rita, olga, support_topic, it_topic, sam, lena, ada, desk):
    """Tickets in both departments, in every state, assigned in every way."""

    def set_state(ticket, state):
        set_status(actor=ada, ticket=ticket, status=TicketStatus.default_for(state))

    with time_machine.travel(T0, tick=False):
        late = open_for(rita, support_topic, subject="late")  # due T0 + 4 h: long past
    fresh = open_for(rita, support_topic, subject="fresh")
    waiting = open_for(rita, support_topic, subject="waiting")
    assign_ticket(actor=ada, ticket=waiting, agent=sam)
    set_state(waiting, State.PENDING)
    done = open_for(rita, support_topic, subject="done")
    set_state(done, State.CLOSED)
    it_olga = open_for(olga, it_topic, subject="it olga")
    it_team = open_for(rita, it_topic, subject="it team")
    assign_ticket(actor=ada, ticket=it_team, team=desk)
    it_sam = open_for(rita, support_topic, subject="it sam")  # Sam's, then moved to IT
    assign_ticket(actor=ada, ticket=it_sam, agent=sam)
    transfer_ticket(actor=ada, ticket=it_sam, department=it_topic.department)
    copied = open_for(olga, it_topic, subject="copied", collaborators=[rita])
    return SimpleNamespace(**{name: value for name, value in locals().items() if hasattr(value, "number")})


def subjects(tickets) -> set[str]:
    return set(tickets.values_list("subject", flat=True))


SUPPORT = {"late", "fresh", "waiting", "done"}
IT = {"it olga", "it team", "it sam", "copied"}


def test_an_agent_sees_their_department_and_what_is_assigned_to_them(board, sam):
    assert subjects(visible_tickets(sam)) == SUPPORT | {"it sam"}


def test_an_agent_sees_what_is_assigned_to_their_team(board, lena):
    assert subjects(visible_tickets(lena)) == SUPPORT | {"it team"}


def test_an_agent_of_the_other_department(board, ivan):
    assert subjects(visible_tickets(ivan)) == IT


def test_administrators_and_system_actors_see_everything(board, ada):
    assert subjects(visible_tickets(ada)) == SUPPORT | IT
    assert subjects(visible_tickets(SLA_JOB)) == SUPPORT | IT


def test_a_requester_sees_what_they_opened_and_are_copied_on(board, rita, olga):
    assert subjects(visible_tickets(rita)) == SUPPORT | {"it team", "it sam", "copied"}
    assert subjects(visible_tickets(olga)) == {"it olga", "copied"}
    assert not visible_tickets(RequesterFactory()).exists()


def test_agents_lose_an_inactive_departments_tickets_but_keep_their_own(board, sam, support):
    support.is_active = False
    support.save()
    sam = Agent.objects.get(pk=sam.pk)  # permissions are cached per instance
    assert subjects(visible_tickets(sam)) == {"waiting", "it sam"}


def test_the_policy_answers_for_one_ticket_as_visible_tickets_does(
    board, sam, lena, ivan, ada, rita, olga, support, it_department
):
    """``policy.sees`` (a ticket read by number, as the staff pages read it) against the query, for every
    kind of actor and every ticket of the board, an inactive agent and an inactive department among them."""
    resigned = AgentFactory(departments=[support])
    resigned.user.is_active = False
    resigned.user.save()
    actors = [
        sam,
        lena,
        ivan,
        ada,
        rita,
        olga,
        RequesterFactory(),
        SLA_JOB,
        Agent.objects.get(pk=resigned.pk),
    ]
    view = frozenset({Perm.VIEW})
    actors += [
        ChannelActor(Channel.API, "IT's key", ticket_perms=view, departments=frozenset({it_department.pk})),
        ChannelActor(Channel.API, "A creating key", ticket_perms=frozenset({Perm.CREATE}), departments=None),
    ]
    tickets = list(Ticket.objects.all())
    for when in ("as set up", "with Support inactive"):
        for actor in actors:
            shown = set(visible_tickets(actor).values_list("pk", flat=True))
            assert {t.pk for t in tickets if sees(actor, t)} == shown, (when, actor)
        support.is_active = False
        support.save()
        actors = [Agent.objects.get(pk=a.pk) if isinstance(a, Agent) else a for a in actors]


def test_visibility_has_no_duplicates(board, sam, desk, ada):
    sam.teams.add(desk)
    assign_ticket(actor=ada, ticket=board.fresh, agent=sam, team=desk)
    sam = Agent.objects.get(pk=sam.pk)
    names = list(visible_tickets(sam).values_list("subject", flat=True))
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("queue", "expected"),
    [
        ("open", {"late", "fresh", "it sam"}),
        ("pending", {"waiting"}),
        ("mine", {"waiting", "it sam"}),
        ("unassigned", {"late", "fresh"}),
        ("overdue", {"late"}),
        ("resolved", set()),
        ("closed", {"done"}),
    ],
)
def test_the_queues_of_a_support_agent(board, sam, queue, expected):
    assert subjects(queue_tickets(sam, queue)) == expected


def test_my_queue_includes_my_teams_tickets(board, lena):
    assert subjects(queue_tickets(lena, "mine")) == {"it team"}


def test_the_administrators_queues_span_all_departments(board, ada):
    assert subjects(queue_tickets(ada, "unassigned")) == {"late", "fresh", "it olga", "copied"}
    assert subjects(queue_tickets(ada, "mine")) == set()


def test_resolved_tickets_have_their_own_queue(board, sam, ada):
    set_status(actor=ada, ticket=board.fresh, status=TicketStatus.default_for(State.RESOLVED))
    assert subjects(queue_tickets(sam, "resolved")) == {"fresh"}
    assert subjects(queue_tickets(sam, "closed")) == {"done"}
    assert "fresh" not in subjects(queue_tickets(sam, "open"))


def test_a_pending_ticket_past_due_is_not_in_the_overdue_queue(board, sam, ada):
    set_status(actor=ada, ticket=board.late, status=TicketStatus.default_for(State.PENDING))
    assert subjects(queue_tickets(sam, "overdue")) == set()


def test_queue_counts_match_the_queues(board, sam):
    counts = queue_counts(sam)
    assert list(counts) == list(QUEUES)
    assert counts == {
        "open": 3,
        "pending": 1,
        "mine": 2,
        "unassigned": 2,
        "overdue": 1,
        "resolved": 0,
        "closed": 1,
        "mentioned": 0,
    }


@pytest.mark.parametrize("who", ["sam", "lena", "ivan", "ada"])
def test_each_agents_counts_are_their_queues_sizes(board, who, request, django_assert_num_queries):
    # A ticket both in the agent's department and assigned to them or their team is counted once.
    agent = request.getfixturevalue(who)
    sizes = {name: queue_tickets(agent, name).count() for name in QUEUES}
    with django_assert_num_queries(len(QUEUES)):
        assert queue_counts(agent) == sizes


def test_an_unknown_queue_is_a_key_error(sam):
    with pytest.raises(KeyError):
        queue_tickets(sam, "everything")


def test_queue_counts_stop_at_the_cap(board, sam, monkeypatch):
    import helpline.tickets.queries as queries

    monkeypatch.setattr(queries, "COUNT_CAP", 1)
    counts = queue_counts(sam)
    # Three open tickets counted only up to the cap plus one: "more than the cap" is all the tab says.
    assert counts["open"] == 2
    assert counts["pending"] == 1


def test_a_departments_manager_sees_and_may_do_everything_there_without_a_membership(
    open_for, rita, it_topic, it_department, sam
):
    from helpline.people.permissions import Perm
    from helpline.tickets.policy import can

    ticket = open_for(rita, it_topic)
    assert not visible_tickets(sam).filter(pk=ticket.pk).exists()
    it_department.manager = sam
    it_department.save()
    sam = type(sam).objects.get(pk=sam.pk)  # a fresh instance, as the next request loads
    assert visible_tickets(sam).filter(pk=ticket.pk).exists()
    assert can(sam, Perm.DELETE, ticket) and can(sam, Perm.TRANSFER, ticket)

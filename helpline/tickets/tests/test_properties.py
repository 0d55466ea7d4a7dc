"""set_priority and set_sla_plan."""

from datetime import timedelta

import pytest
import time_machine

from helpline.catalog.models import Priority
from helpline.sla.models import SLAPlan
from helpline.testsupport.factories import SLAPlanFactory
from helpline.tickets.actions import check_sla_targets, set_priority, set_sla_plan
from helpline.tickets.models import Event
from helpline.tickets.policy import NotAllowed
from helpline.tickets.tests.helpers import T0, assign_from_elsewhere, last_event, ref, snapshot


@pytest.fixture
def opened(open_for, rita, support_topic):
    with time_machine.travel(T0, tick=False):
        return open_for(rita, support_topic)


def test_changing_the_priority_records_old_and_new(opened, sam):
    high = Priority.objects.get(name="High")
    changed = set_priority(actor=sam, ticket=opened, priority=high)
    opened.refresh_from_db()
    assert opened.priority == high == changed.priority
    assert opened.urgency == high.urgency  # the copy the queues sort on follows the priority
    event = last_event(opened)
    assert (event.event, event.author_agent) == (Event.PRIORITY, sam)
    assert event.data == {"priority": ref(high), "previous": ref(Priority.objects.get(name="Normal"))}


def test_reranking_a_priority_updates_the_tickets_that_carry_it(opened):
    normal = opened.priority
    assert opened.urgency == normal.urgency
    Priority.objects.filter(pk=normal.pk).update(urgency=99)
    normal.refresh_from_db()
    assert normal.apply_urgency_to_tickets() == 1
    opened.refresh_from_db()
    assert opened.urgency == 99


def test_setting_the_same_priority_changes_nothing(opened, sam):
    before = snapshot(opened)
    set_priority(actor=sam, ticket=opened, priority=opened.priority)
    assert snapshot(opened) == before


def test_an_assignee_outside_the_department_may_change_the_priority(opened, ada, ivan):
    # The status permission is "change status and priority": an assignee holds it on their ticket.
    assign_from_elsewhere(opened, ivan, by=ada)
    set_priority(actor=ivan, ticket=opened, priority=Priority.objects.get(name="Low"))
    opened.refresh_from_db()
    assert opened.priority.name == "Low"


def test_a_new_sla_plan_recomputes_the_due_time_from_the_opening(opened, sam):
    fast = SLAPlanFactory(name="Sev-A", hours=1)
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        set_sla_plan(actor=sam, ticket=opened, sla_plan=fast)
    opened.refresh_from_db()
    assert opened.sla_plan == fast
    assert opened.due_at == T0 + timedelta(hours=1)
    event = last_event(opened)
    assert event.event == Event.SLA
    assert event.data == {
        "sla_plan": ref(fast),
        "previous": ref(SLAPlan.objects.get(name="Sev-B")),
        "due_at": "2025-03-03T10:00:00Z",
    }


def test_a_longer_plan_lifts_the_overdue_flag(opened, sam):
    slow = SLAPlanFactory(name="Sev-C", hours=24)
    with time_machine.travel(T0 + timedelta(hours=5), tick=False):
        assert check_sla_targets(ticket_id=opened.pk)
        set_sla_plan(actor=sam, ticket=opened, sla_plan=slow)
    opened.refresh_from_db()
    assert not opened.is_overdue and opened.due_at == T0 + timedelta(hours=24)


def test_removing_the_sla_plan_removes_the_due_time(opened, sam):
    set_sla_plan(actor=sam, ticket=opened, sla_plan=None)
    opened.refresh_from_db()
    assert opened.sla_plan is None and opened.due_at is None
    previous = ref(SLAPlan.objects.get(name="Sev-B"))
    assert last_event(opened).data == {"sla_plan": None, "previous": previous, "due_at": None}


def test_keeping_the_same_plan_changes_nothing(opened, sam, sla_plan):
    before = snapshot(opened)
    set_sla_plan(actor=sam, ticket=opened, sla_plan=sla_plan)
    assert snapshot(opened) == before


def test_an_assignee_outside_the_department_cannot_change_the_sla_plan(opened, ada, ivan):
    assign_from_elsewhere(opened, ivan, by=ada)
    before = snapshot(opened)
    with pytest.raises(NotAllowed):
        set_sla_plan(actor=ivan, ticket=opened, sla_plan=None)
    assert snapshot(opened) == before

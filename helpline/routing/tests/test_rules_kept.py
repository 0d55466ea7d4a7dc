"""Whether any filter rule is active is kept in the process (``core.configuration``): a desk without rules
pays no query for them, and a rule added, switched off or on, however it is written, counts at once."""

import pytest

from helpline.catalog.models import Priority
from helpline.routing.models import ActionKind as A
from helpline.routing.models import Channel, Event, FilterRule
from helpline.routing.rules import Facts, decide

pytestmark = pytest.mark.django_db

FACTS = Facts(channel=Channel.API, subject="Disk full")


def test_without_active_rules_deciding_reads_only_the_token(make_rule, django_assert_num_queries):
    make_rule("Switched off", actions=[(A.SUPPRESS_AUTOREPLY,)], is_active=False)
    decide(FACTS, event=Event.TICKET)
    with django_assert_num_queries(1) as done:
        assert decide(FACTS, event=Event.TICKET).suppress_autoreply is False
    assert "core_configurationversion" in done.captured_queries[0]["sql"]


def test_a_rule_added_switched_off_and_on_counts_at_once(make_rule):
    emergency = Priority.objects.get(name="Emergency")
    assert decide(FACTS, event=Event.TICKET).priority is None
    rule = make_rule("Everything is urgent", actions=[(A.SET_PRIORITY, emergency)])
    assert decide(FACTS, event=Event.TICKET).priority == emergency
    # No save(), no signal: only the database sees these.
    FilterRule.objects.filter(pk=rule.pk).update(is_active=False)
    assert decide(FACTS, event=Event.TICKET).priority is None
    FilterRule.objects.filter(pk=rule.pk).update(is_active=True)
    assert decide(FACTS, event=Event.TICKET).priority == emergency
    FilterRule.objects.filter(pk=rule.pk).delete()
    assert decide(FACTS, event=Event.TICKET).priority is None

"""Regular expressions in rules: refused when saved if broken or catastrophic, and bounded in time when
evaluated, so a pattern that slipped through (saved before a check, slow only on some real text) makes its
condition not match instead of stalling the intake."""

import logging
import time

import pytest
from django.core.exceptions import ValidationError

from helpline.catalog.models import Priority
from helpline.routing.models import ActionKind as A
from helpline.routing.models import Channel, Event, Match, RuleCondition
from helpline.routing.models import ConditionField as F
from helpline.routing.models import Operator as O
from helpline.routing.rules import Facts, decide

CATASTROPHIC = r"(a|aa)+$"
# Without a bound this search would not end in the life of the machine: (a|aa)+ splits a run of n letters
# in Fibonacci(n) ways, and every one is tried before the "!" fails the match.
SLOW_TEXT = "a" * 5000 + "!"


@pytest.mark.parametrize(
    "pattern, message",
    [("(outage", "This is not a valid regular expression: missing )"), (CATASTROPHIC, "takes too long")],
)
def test_saving_refuses_a_broken_or_catastrophic_pattern_with_the_error(make_rule, pattern, message):
    rule = make_rule()
    condition = RuleCondition(rule=rule, field=F.SUBJECT, operator=O.REGEX, value=pattern)
    with pytest.raises(ValidationError) as refused:
        condition.full_clean()
    assert message in refused.value.message_dict["value"][0]


def test_a_slow_pattern_is_stopped_by_the_time_bound_and_counts_as_not_matching(make_rule, settings, caplog):
    settings.HELPLINE_RULE_REGEX_TIMEOUT_MS = 50
    emergency, low = Priority.objects.get(name="Emergency"), Priority.objects.get(name="Low")
    # Stored as if saved before the check existed: the time bound is all that stands in the way.
    slow = make_rule(
        "Slow",
        conditions=[(F.SUBJECT, O.REGEX, CATASTROPHIC)],
        actions=[(A.SET_PRIORITY, emergency)],
        check=False,
    )
    make_rule(
        "Either",
        match=Match.ANY,
        conditions=[(F.SUBJECT, O.REGEX, CATASTROPHIC), (F.SUBJECT, O.ENDS_WITH, "!")],
        actions=[(A.SET_PRIORITY, low)],
        check=False,
    )
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="helpline.routing.rules"):
        decision = decide(Facts(channel=Channel.EMAIL, subject=SLOW_TEXT), event=Event.TICKET)
    elapsed = time.monotonic() - started
    # Two searches of 50 ms each; the margin is for a busy machine, not for the search.
    assert elapsed < 2.0, elapsed
    assert [r.rule_name for r in decision.matched] == ["Either"] and decision.priority == low
    assert [(t.rule_name, t.condition_id) for t in decision.timed_out] == [
        ("Slow", slow.conditions.get().pk),
        ("Either", decision.timed_out[1].condition_id),
    ]
    assert "Filter rule 'Slow'" in caplog.text and "timed out" in caplog.text
    # On an ordinary text the same pattern matches as usual.
    ordinary = decide(Facts(channel=Channel.EMAIL, subject="aaaa"), event=Event.TICKET)
    assert [r.rule_name for r in ordinary.matched] == ["Slow", "Either"] and ordinary.timed_out == []

"""The ``make_rule`` fixture: filter rules made as the administration pages save them (a rule, its conditions
and its actions, in order)."""

from itertools import count

import pytest

from helpline.routing.models import Channel, FilterRule, Match, RuleAction, RuleCondition
from helpline.routing.models.rules import TARGET_FIELDS

_orders = count(1)


@pytest.fixture
def make_rule(db):
    """``conditions``: (field, operator, value) or (field, operator, value, key) tuples; ``actions``:
    (kind,) for the kinds that name nothing, (kind, row) for those that name a row, (kind, "text") for the
    text kinds. Conditions are checked as on save (``full_clean``) unless ``check=False``."""

    def make(
        name: str = "",
        *,
        conditions=(),
        actions=(),
        channels=tuple(Channel.values),
        match=Match.ALL,
        check=True,
        **fields,
    ) -> FilterRule:
        n = next(_orders)
        fields.setdefault("order", n)
        rule = FilterRule.objects.create(
            name=name or f"Rule {n}", channels=list(channels), match=match, **fields
        )
        for position, (field, operator, value, *key) in enumerate(conditions):
            condition = RuleCondition(
                rule=rule,
                field=field,
                operator=operator,
                value=value,
                key=key[0] if key else "",
                position=position,
            )
            if check:
                condition.full_clean()
            condition.save()
        for position, (kind, *argument) in enumerate(actions):
            action = RuleAction(rule=rule, kind=kind, position=position)
            if argument and kind in TARGET_FIELDS:
                setattr(action, TARGET_FIELDS[kind], argument[0])
            elif argument:
                action.text = argument[0]
            action.full_clean()
            action.save()
        return rule

    return make

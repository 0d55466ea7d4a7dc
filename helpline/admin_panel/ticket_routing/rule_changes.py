"""The changes an administrator makes to filter rules, each in one transaction with its audit record. A
rule is recorded whole, as a person reads it: its settings, and its conditions and actions as sentences."""

from typing import Any

from django.db import IntegrityError, models, transaction

from helpline.admin_panel.ticket_routing.changes import Conflict, difference, reorder
from helpline.admin_panel.ticket_routing.rule_forms import FilterRuleForm, RuleRows
from helpline.audit.log import record
from helpline.people.models import Agent
from helpline.routing.models import FilterRule, RuleAction

RULE_SETTINGS = ["name", "is_active", "channels", "on_messages", "match", "stop_processing"]
ACTION_ROWS = ["department", "topic", "priority", "sla_plan", "status", "agent__user", "team"]


def rule_record(rule: FilterRule) -> dict[str, Any]:
    """The rule as stored, read fresh (its conditions and actions in order)."""
    values: dict[str, Any] = {name: getattr(rule, name) for name in RULE_SETTINGS}
    values["conditions"] = [str(condition) for condition in rule.conditions.order_by("position", "id")]
    actions = RuleAction.objects.filter(rule=rule).select_related(*ACTION_ROWS).order_by("position", "id")
    values["actions"] = [str(action) for action in actions]
    return values


def _record(actor: Agent, action: str, rule: FilterRule, data: dict[str, Any]) -> None:
    record(
        actor=actor,
        action=action,
        target_type="filter_rule",
        target_id=rule.pk,
        target_repr=rule.name,
        data=data,
    )


def save_rule(*, actor: Agent, form: FilterRuleForm, conditions: RuleRows, actions: RuleRows) -> bool:
    """Create the rule (last in order) or save its settings, conditions and actions, as the valid form and
    formsets hold them. Returns whether anything changed. Raises Conflict on a name taken meanwhile."""
    rule = form.instance
    try:
        with transaction.atomic():
            before = None
            if rule.pk is not None:
                stored = FilterRule.objects.select_for_update().get(pk=rule.pk)
                before = rule_record(stored)
            else:
                highest = FilterRule.objects.aggregate(models.Max("order"))["order__max"]
                rule.order = 10 if highest is None else highest + 10
            form.save()
            for formset in (conditions, actions):
                formset.instance = rule
                formset.save_in_order()
            after = rule_record(rule)
            if before is None:
                _record(actor, "filter_rule.created", rule, {"after": after})
                return True
            change = difference(before, after)
            if not change["after"]:
                return False
            _record(actor, "filter_rule.changed", rule, change)
            return True
    except IntegrityError as error:
        raise Conflict(str(error)) from error


def move_rule(*, actor: Agent, rule_id: int, step: int) -> bool:
    """Move the rule one place earlier (``step`` -1) or later (+1). Returns False at either end. Raises
    FilterRule.DoesNotExist."""
    with transaction.atomic():
        rules = list(FilterRule.objects.select_for_update().order_by("order", "id"))
        rule = next((rule for rule in rules if rule.pk == rule_id), None)
        if rule is None:
            raise FilterRule.DoesNotExist(f"No filter rule {rule_id}")
        moved = reorder(rules, rule, step, "order")
        if moved is None:
            return False
        _record(
            actor,
            "filter_rule.moved",
            rule,
            {"before": {"position": moved[0]}, "after": {"position": moved[1]}},
        )
    return True


def deactivate_rule(*, actor: Agent, rule_id: int) -> bool:
    """Stop running the rule. Returns False when it was inactive already. Raises FilterRule.DoesNotExist."""
    with transaction.atomic():
        rule = FilterRule.objects.select_for_update().get(pk=rule_id)
        if not rule.is_active:
            return False
        rule.is_active = False
        rule.save(update_fields=["is_active", "updated_at"])
        _record(
            actor,
            "filter_rule.deactivated",
            rule,
            {"before": {"is_active": True}, "after": {"is_active": False}},
        )
    return True

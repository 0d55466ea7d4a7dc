"""Routing's rows: help topics (what a requester picks, and where it sends the ticket) and filter rules
(ordered conditions and actions that change where a new ticket or message goes)."""

from helpline.routing.models.department_defaults import DepartmentDefaults
from helpline.routing.models.rules import (
    ActionKind,
    Channel,
    ConditionField,
    Event,
    FilterRule,
    Match,
    Operator,
    RuleAction,
    RuleCondition,
)
from helpline.routing.models.topic_forms import TopicForm
from helpline.routing.models.topics import HelpTopic

__all__ = [
    "ActionKind",
    "Channel",
    "ConditionField",
    "DepartmentDefaults",
    "Event",
    "FilterRule",
    "HelpTopic",
    "Match",
    "Operator",
    "RuleAction",
    "RuleCondition",
    "TopicForm",
]

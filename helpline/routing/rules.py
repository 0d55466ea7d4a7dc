"""Running the filter rules: ``decide(facts, event=...)`` says what the rules do to a new ticket or message.

It reads routing's own rows (the rules, their conditions and actions) and nothing of the tickets: the
ticket actions apply the ``Decision`` (and write in the thread which rule did what).

How the rules run:
- Active rules whose channels include ``facts.channel`` run in their order (on a new message only those
  that run on messages too). A rule matches when all of its conditions hold, or any one of them (its
  ``match``); a rule without conditions matches everything.
- A matching rule's actions apply in their order. Later rules see the facts as earlier ones changed
  them: a rule that sets the help topic makes later conditions on the topic read the new one, and a rule
  that sets the department (or a topic, whose department the ticket then goes to, unless a rule names a
  department itself) changes the department an agent is checked against. A later setting of the same
  thing overrides an earlier one; each rule's result lists what it set.
- Rejecting ends everything: no later action or rule runs. "Stop processing later rules", as the rule's
  flag or as an action, ends the run after the rule's actions.
- Rows that cannot take tickets (an inactive department, topic, SLA plan, agent or team) are skipped with
  the reason. An agent is checked at the end against the resulting department with ``works_in``: one who
  does not work there is skipped with the reason, and the latest agent a rule named who does is chosen.
- A regular expression that runs past its time bound makes its condition not match; it is logged and
  listed in ``Decision.timed_out``.
"""

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db.models import Model, Prefetch

from helpline.catalog.models import Priority, TicketStatus
from helpline.core import configuration
from helpline.people.models import Agent, Department, Team
from helpline.routing.matching import MatchTimedOut, matches
from helpline.routing.models import (
    ActionKind,
    ConditionField,
    Event,
    FilterRule,
    HelpTopic,
    Match,
    RuleAction,
    RuleCondition,
)

logger = logging.getLogger(__name__)

WorksIn = Callable[[Agent, int], bool]


@dataclass(frozen=True)
class Facts:
    """What the rules look at. ``channel`` is a ``Channel`` code (the ticket's source); ``headers`` are the
    email's, names lower-cased, each with its values in order (as ``inbound.message.ParsedMessage`` keeps
    them); ``department`` is where the ticket would go without the rules. ``custom_fields`` (field name ->
    value) is where custom fields' values come in once tickets have them."""

    channel: str
    sender_email: str = ""
    sender_name: str = ""
    subject: str = ""
    body: str = ""
    topic_id: int | None = None
    mailbox_address: str = ""
    headers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    department: Department | None = None
    custom_fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Applied:
    """One thing a rule set: the action's kind, what it set (a row or a text; None for the kinds that set
    nothing), and how a person reads it."""

    kind: str
    value: object
    label: str


@dataclass(frozen=True)
class Skipped:
    kind: str
    value: object
    label: str
    reason: str


@dataclass
class RuleResult:
    """A rule that matched, what it set and what it could not, and whether it ended the run."""

    rule_id: int
    rule_name: str
    applied: list[Applied] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    stopped: bool = False


@dataclass(frozen=True)
class TimedOut:
    rule_id: int
    rule_name: str
    condition_id: int
    condition: str


@dataclass
class Decision:
    """What the rules decided. Each field is None (or empty) when no rule set it. ``resulting_department``
    is where the ticket goes: the department a rule set, else that of the topic a rule set, else the facts'.
    ``sla_plan`` is an ``sla.SLAPlan`` (typed as a model: sla sits beside routing, and neither imports the
    other)."""

    rejected: bool = False
    reject_reply: str = ""
    department: Department | None = None
    topic: HelpTopic | None = None
    priority: Priority | None = None
    sla_plan: Model | None = None
    status: TicketStatus | None = None
    agent: Agent | None = None
    team: Team | None = None
    collaborators: list[str] = field(default_factory=list)
    canned_replies: list[str] = field(default_factory=list)
    suppress_autoreply: bool = False
    resulting_department: Department | None = None
    matched: list[RuleResult] = field(default_factory=list)
    timed_out: list[TimedOut] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return any(result.applied for result in self.matched)


def active_rules() -> list[FilterRule]:
    """The active rules in order, with their conditions and actions (three queries). None at all while no
    rule is active, which is known without a query until a rule changes (``core.configuration``): most
    tickets of a desk without rules pay nothing for them."""
    if not configuration.cached("routing.any_active_rule", _any_active):
        return []
    actions = RuleAction.objects.select_related(
        "department", "topic__department", "priority", "sla_plan", "status", "agent__user", "team"
    )
    return list(
        FilterRule.objects.filter(is_active=True).prefetch_related(
            "conditions", Prefetch("actions", queryset=actions)
        )
    )


def _any_active() -> bool:
    return FilterRule.objects.filter(is_active=True).exists()


def regex_timeout() -> float:
    return settings.HELPLINE_RULE_REGEX_TIMEOUT_MS / 1000


def decide(
    facts: Facts,
    *,
    event: str,
    works_in: WorksIn | None = None,
    rules: Iterable[FilterRule] | None = None,
) -> Decision:
    """Run the rules (``rules``, in the order given; default: ``active_rules()``) on ``facts`` for
    ``event`` (``Event.TICKET`` or ``Event.MESSAGE``). ``works_in(agent, department_id)`` says whether an
    agent works a department (``people.access.works_in``); without it agents are not checked here."""
    if event not in Event.values:
        raise ValueError(f"Unknown event {event!r}")
    run = _Run(facts, works_in, regex_timeout())
    for rule in active_rules() if rules is None else rules:
        if not rule.runs_on(facts.channel, event) or not run.matches(rule):
            continue
        if run.apply(rule):
            break
    return run.finish()


class _Run:
    """One evaluation: the facts as the rules changed them so far, and the decision being built."""

    def __init__(self, facts: Facts, works_in: WorksIn | None, timeout: float):
        self.facts = facts
        self.works_in = works_in
        self.timeout = timeout
        self.decision = Decision()
        self.department_set = False
        self.agents: list[tuple[RuleResult, Applied]] = []
        self.topic_names: dict[int, str] = {}

    # Conditions -----------------------------------------------------------------------------------------

    def matches(self, rule: FilterRule) -> bool:
        conditions = list(rule.conditions.all())
        if not conditions:
            return True
        held = (self.holds(rule, condition) for condition in conditions)
        return all(held) if rule.match == Match.ALL else any(held)

    def holds(self, rule: FilterRule, condition: RuleCondition) -> bool:
        try:
            return matches(condition.operator, self.texts(condition), condition.value, timeout=self.timeout)
        except MatchTimedOut:
            logger.warning(
                "Filter rule %r (%s): condition %s timed out after %s s; it counts as not matching.",
                rule.name,
                rule.pk,
                condition.pk,
                self.timeout,
            )
            self.decision.timed_out.append(TimedOut(rule.pk, rule.name, condition.pk, str(condition)))
            return False

    def texts(self, condition: RuleCondition) -> tuple[str, ...]:
        """What the condition looks at: one text per field, a header's values (none when it is absent)."""
        facts, key = self.facts, condition.key.strip().lower()
        match condition.field:
            case ConditionField.SENDER_EMAIL:
                return (facts.sender_email,)
            case ConditionField.SENDER_NAME:
                return (facts.sender_name,)
            case ConditionField.SENDER_DOMAIN:
                return (facts.sender_email.rpartition("@")[2] if "@" in facts.sender_email else "",)
            case ConditionField.SUBJECT:
                return (facts.subject,)
            case ConditionField.BODY:
                return (facts.body,)
            case ConditionField.TOPIC:
                return (self.topic_name(),)
            case ConditionField.MAILBOX:
                return (facts.mailbox_address,)
            case ConditionField.HEADER:
                return tuple(facts.headers.get(key, ()))
            case ConditionField.CUSTOM_FIELD:
                fields = {name.lower(): value for name, value in facts.custom_fields.items()}
                return (fields[key],) if key in fields else ()
        raise ValueError(f"Unknown condition field {condition.field!r}")

    def topic_name(self) -> str:
        topic_id = self.facts.topic_id
        if topic_id is None:
            return ""
        if topic_id not in self.topic_names:
            found = HelpTopic.objects.filter(pk=topic_id).values_list("full_name", flat=True).first()
            self.topic_names[topic_id] = found or ""
        return self.topic_names[topic_id]

    # Actions --------------------------------------------------------------------------------------------

    def apply(self, rule: FilterRule) -> bool:
        """Apply the matching rule's actions; returns whether the run ends here."""
        result = RuleResult(rule.pk, rule.name)
        self.decision.matched.append(result)
        stop = rule.stop_processing
        for action in rule.actions.all():
            stop = self.act(action, result) or stop
            if self.decision.rejected:
                break
        result.stopped = stop or self.decision.rejected
        return result.stopped

    def act(self, action: RuleAction, result: RuleResult) -> bool:
        """Apply one action to the decision and the facts; returns True for "stop processing"."""
        decision, kind = self.decision, action.kind
        target = action.target
        if target is not None:
            reason = _unusable(target)
            if reason:
                result.skipped.append(Skipped(kind, target, _label(action), reason))
                return False
        applied = Applied(kind, target if target is not None else (action.text or None), _label(action))
        match kind:
            case ActionKind.REJECT:
                decision.rejected, decision.reject_reply = True, action.text.strip()
            case ActionKind.SET_DEPARTMENT:
                decision.department, self.department_set = action.department, True
                self.facts = replace(self.facts, department=action.department)
            case ActionKind.SET_TOPIC:
                topic = action.topic
                assert topic is not None
                decision.topic = topic
                self.topic_names[topic.pk] = topic.full_name
                department = self.facts.department if self.department_set else topic.department
                self.facts = replace(self.facts, topic_id=topic.pk, department=department)
            case ActionKind.SET_PRIORITY:
                decision.priority = action.priority
            case ActionKind.SET_SLA_PLAN:
                decision.sla_plan = action.sla_plan
            case ActionKind.SET_STATUS:
                decision.status = action.status
            case ActionKind.ASSIGN_AGENT:
                self.agents.append((result, applied))  # checked against the department at the end
            case ActionKind.ASSIGN_TEAM:
                decision.team = action.team
            case ActionKind.ADD_COLLABORATOR:
                decision.collaborators.append(action.text.strip())
            case ActionKind.CANNED_REPLY:
                decision.canned_replies.append(action.text)
            case ActionKind.SUPPRESS_AUTOREPLY:
                decision.suppress_autoreply = True
            case ActionKind.STOP:
                result.applied.append(applied)
                return True
        result.applied.append(applied)
        return False

    def finish(self) -> Decision:
        """Settle the agent: the latest one a rule named who works in the resulting department. Those
        named after them are skipped with the reason; those named before were overridden, as any setting
        a later rule sets again."""
        decision = self.decision
        decision.resulting_department = self.facts.department
        for result, applied in reversed(self.agents):
            agent = applied.value
            assert isinstance(agent, Agent)
            reason = self.why_not(agent)
            if not reason:
                decision.agent = agent
                break
            result.applied.remove(applied)
            result.skipped.append(Skipped(applied.kind, agent, applied.label, reason))
        return decision

    def why_not(self, agent: Agent) -> str:
        """Why the agent cannot take the ticket in the department it goes to, or "" when they can (or
        nobody said how to tell)."""
        department = self.facts.department
        if self.works_in is None:
            return ""
        if department is None:
            return "The ticket has no department to check the agent against."
        if not self.works_in(agent, department.pk):
            return f"{agent} does not work in {department}."
        return ""


def _unusable(target: object) -> str:
    """Why a row cannot take tickets (an inactive department, topic, SLA plan, agent or team), or ""."""
    return "" if getattr(target, "is_active", True) else f"{target} is inactive."


def _label(action: RuleAction) -> str:
    target = action.target
    match action.kind:
        case ActionKind.REJECT:
            return "Reject, replying" if action.text.strip() else "Reject, without a reply"
        case ActionKind.SET_DEPARTMENT:
            return f"Department: {target}"
        case ActionKind.SET_TOPIC:
            return f"Help topic: {target}"
        case ActionKind.SET_PRIORITY:
            return f"Priority: {target}"
        case ActionKind.SET_SLA_PLAN:
            return f"SLA plan: {getattr(target, 'name', target)}"
        case ActionKind.SET_STATUS:
            return f"Status: {target}"
        case ActionKind.ASSIGN_AGENT:
            return f"Assigned to {target}"
        case ActionKind.ASSIGN_TEAM:
            return f"Assigned to the team {target}"
        case ActionKind.ADD_COLLABORATOR:
            return f"Collaborator: {action.text.strip()}"
        case ActionKind.CANNED_REPLY:
            return "Canned reply sent"
        case ActionKind.SUPPRESS_AUTOREPLY:
            return "No automatic reply"
    return "Later rules stopped"

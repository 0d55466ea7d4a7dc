"""What the filter rules do to tickets: ``routing.rules.decide`` decides from plain facts; this module gives
it the facts of a new ticket or message and applies the decision, in the name of the rule that decided each
thing (``people.actors.rule_actor``), so the thread says which rule did what.

On a new ticket the decision is part of the opening (``intake.open_ticket``): the routing it sets wins over
the door's and the topic's, whoever opens the ticket; what the opening cannot carry (a status on another
state than open, canned replies) is applied right after, in the same transaction. On a new message the
decision is applied through the ticket actions, as an agent would change the ticket. A rejection raises
``RejectedByRule``: nothing is stored.
"""

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError

from helpline.people.access import works_in
from helpline.people.actors import Actor, ActorKind, ChannelActor, rule_actor
from helpline.people.actors import Channel as ActorChannel
from helpline.people.models import Requester
from helpline.people.requesters import Contact, find_or_create_requester
from helpline.routing.models import ActionKind, Event, HelpTopic
from helpline.routing.rules import Decision, Facts, RuleResult, decide
from helpline.tickets.actions.base import record_event
from helpline.tickets.events import Ref, RuleApplied
from helpline.tickets.models import Source, Ticket
from helpline.tickets.policy import NotAllowed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Envelope:
    """What the email intake knows beyond the message, for the rules: the mailbox it arrived at and its
    headers (names lower-cased, each with its values in order, as ``ParsedMessage.headers``)."""

    mailbox_address: str = ""
    headers: Mapping[str, Sequence[str]] = field(default_factory=dict)


class RejectedByRule(NotAllowed):
    """A filter rule rejects the ticket or message. ``reply`` is the rule's text for the sender ("" for a
    silent rejection); the message of the exception is what the sender may be shown."""

    def __init__(self, rule_id: int, rule_name: str, reply: str):
        super().__init__(reply or "This request cannot be accepted by the help desk.")
        self.rule_id, self.rule_name, self.reply = rule_id, rule_name, reply


def facts_of(
    *,
    channel: str,
    sender: Requester,
    subject: str,
    body_text: str,
    topic: HelpTopic | None,
    department: Any,
    envelope: Envelope | None,
) -> Facts:
    envelope = envelope or Envelope()
    return Facts(
        channel=channel,
        sender_email=sender.email,
        sender_name=sender.name,
        subject=subject,
        body=body_text,
        topic_id=topic.pk if topic else None,
        mailbox_address=envelope.mailbox_address,
        headers=envelope.headers,
        department=department,
    )


def decide_on(facts: Facts, *, event: str) -> Decision:
    """The rules' decision; raises RejectedByRule when one rejects."""
    decision = decide(facts, event=event, works_in=works_in)
    if decision.rejected:
        rejecting = decision.matched[-1]
        raise RejectedByRule(rejecting.rule_id, rejecting.rule_name, decision.reject_reply)
    return decision


def actor_of(result: RuleResult) -> ChannelActor:
    return rule_actor(rule_id=result.rule_id, rule_name=result.rule_name)


def deciders(decision: Decision) -> dict[str, RuleResult]:
    """The rule whose setting stands, by action kind: the last that applied it."""
    last: dict[str, RuleResult] = {}
    for result in decision.matched:
        for applied in result.applied:
            last[applied.kind] = result
    return last


def applied(decision: Decision, kind: str) -> Iterator[tuple[RuleResult, Any]]:
    """Each (rule, value) of the kind, in order (for the kinds that add up: collaborators, canned replies)."""
    for result in decision.matched:
        for item in result.applied:
            if item.kind == kind:
                yield result, item.value


def record_results(ticket: Ticket, decision: Decision, at) -> None:
    """One thread event per rule that matched and set (or could not set) something."""
    for result in decision.matched:
        changes = [item.label for item in result.applied if item.kind != ActionKind.STOP]
        changes += [f"{item.label}: not applied ({item.reason})" for item in result.skipped]
        if changes:
            payload = RuleApplied(rule=Ref(id=result.rule_id, name=result.rule_name), changes=changes)
            record_event(ticket, actor_of(result), payload, at)


def collaborators_of(decision: Decision) -> list[Requester]:
    """The requesters the rules add (an address that is not valid is left out, and logged)."""
    found = []
    for result, address in applied(decision, ActionKind.ADD_COLLABORATOR):
        try:
            found.append(find_or_create_requester(Contact(email=str(address))))
        except ValidationError:
            log.warning("Filter rule %r: the collaborator %r is not an address.", result.rule_name, address)
    return found


def channel_of(actor: Actor) -> str:
    """The channel a message comes through, as rules name channels: by email, from the portal, or entered
    by an agent (a call)."""
    if isinstance(actor, ChannelActor):
        return Source.EMAIL if actor.channel == ActorChannel.EMAIL else Source.API
    return Source.WEB if actor.actor_kind == ActorKind.REQUESTER else Source.AGENT


def message_decision(
    actor: Actor,
    ticket: Ticket,
    author: Requester,
    body_text: str,
    envelope: Envelope | None = None,
) -> Decision:
    """The rules' decision on a new message of ``ticket`` (only the rules that run on messages); raises
    RejectedByRule."""
    facts = facts_of(
        channel=channel_of(actor),
        sender=author,
        subject=ticket.subject,
        body_text=body_text,
        topic=None,
        department=ticket.department,
        envelope=envelope,
    )
    return decide_on(replace(facts, topic_id=ticket.topic_id), event=Event.MESSAGE)


def apply_to_ticket(ticket_id: int, decision: Decision) -> None:
    """Apply a decision on a message through the ticket actions, each change in the name of the rule whose
    setting stands. A change an action refuses (an agent who left the department meanwhile) is logged and
    skipped. The help topic of a ticket already open stays as it is."""
    from helpline.tickets.actions.assignment import assign_ticket, transfer_ticket
    from helpline.tickets.actions.collaborators import add_collaborator
    from helpline.tickets.actions.properties import set_priority, set_sla_plan
    from helpline.tickets.actions.status import set_status
    from helpline.tickets.actions.thread import post_reply

    def current() -> Ticket:
        return Ticket.objects.select_related("status", "department", "assignee", "team").get(pk=ticket_id)

    by = deciders(decision)
    if decision.department is not None:
        _attempt(
            by[ActionKind.SET_DEPARTMENT], transfer_ticket, department=decision.department, ticket=current
        )
    if decision.priority is not None:
        _attempt(by[ActionKind.SET_PRIORITY], set_priority, priority=decision.priority, ticket=current)
    if decision.sla_plan is not None:
        _attempt(by[ActionKind.SET_SLA_PLAN], set_sla_plan, sla_plan=decision.sla_plan, ticket=current)
    if decision.agent is not None or decision.team is not None:
        ticket = current()
        who = by.get(ActionKind.ASSIGN_AGENT) or by[ActionKind.ASSIGN_TEAM]
        agent, team = decision.agent or ticket.assignee, decision.team or ticket.team
        _attempt(who, assign_ticket, agent=agent, team=team, ticket=lambda: ticket)
    if decision.status is not None:
        _attempt(by[ActionKind.SET_STATUS], set_status, status=decision.status, ticket=current)
    for result, address in applied(decision, ActionKind.ADD_COLLABORATOR):
        _attempt(result, add_collaborator, person=Contact(email=str(address)), ticket=current)
    for result, text in applied(decision, ActionKind.CANNED_REPLY):
        _attempt(result, post_reply, body=str(text), ticket=current)


def _attempt(result: RuleResult, action, *, ticket, **arguments) -> None:
    try:
        action(actor=actor_of(result), ticket=ticket(), **arguments)
    except (NotAllowed, ValidationError, ValueError) as refusal:
        log.warning("Filter rule %r: a change was refused: %s", result.rule_name, refusal)

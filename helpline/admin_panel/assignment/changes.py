"""The changes an administrator makes to automatic assignment, each in one transaction with its audit record
(what it was and what it became, for the fields that changed)."""

from typing import Any

from django.db import transaction

from helpline.audit.log import record
from helpline.people.models import Agent, AssignmentStrategy, Department, Team
from helpline.people.preferences import Availability

AGENT_SETTINGS = ["is_away", "vacation_from", "vacation_until", "open_ticket_limit"]


def set_assignment_strategy(
    *, actor: Agent, model: type[Department] | type[Team], pk: int, strategy: AssignmentStrategy
) -> Department | Team | None:
    """Give the department or team (``model`` and ``pk``) the strategy. Returns it when that changed it,
    None when it had that strategy already. The turn order stays where it was. Raises DoesNotExist."""
    kind = model._meta.model_name
    with transaction.atomic():
        pool = model.objects.select_for_update().get(pk=pk)
        before = pool.assignment_strategy
        if before == strategy:
            return None
        pool.assignment_strategy = strategy
        pool.save(update_fields=["assignment_strategy"])
        record(
            actor=actor,
            action=f"{kind}.assignment_changed",
            target_type=str(kind),
            target_id=pool.pk,
            target_repr=pool.name,
            data={"before": {"assignment_strategy": before}, "after": {"assignment_strategy": strategy}},
        )
    return pool


def agent_settings(agent: Agent) -> dict[str, Any]:
    """The agent's availability and limit as the audit log keeps them (days as ISO dates)."""
    values = {name: getattr(agent, name) for name in AGENT_SETTINGS}
    for name in ("vacation_from", "vacation_until"):
        values[name] = values[name].isoformat() if values[name] else None
    return values


def set_agent_availability(
    *, actor: Agent, agent_id: int, availability: Availability, limit: int | None
) -> bool:
    """Set anyone's away switch, vacation and open-ticket limit. Returns whether anything changed (an
    unchanged save records nothing). Raises ValidationError for a vacation out of order, DoesNotExist."""
    availability.check()
    with transaction.atomic():
        agent = Agent.objects.select_for_update(of=("self",)).select_related("user").get(pk=agent_id)
        before = agent_settings(agent)
        agent.is_away = availability.away
        agent.vacation_from, agent.vacation_until = availability.vacation_from, availability.vacation_until
        agent.open_ticket_limit = limit
        after = agent_settings(agent)
        changed = [name for name in AGENT_SETTINGS if after[name] != before[name]]
        if not changed:
            return False
        agent.save(update_fields=changed)
        record(
            actor=actor,
            action="agent.availability_changed",
            target_type="agent",
            target_id=agent.pk,
            target_repr=agent.display_name,
            data={
                "before": {name: before[name] for name in changed},
                "after": {name: after[name] for name in changed},
            },
        )
    return True

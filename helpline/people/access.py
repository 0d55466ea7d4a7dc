"""What an agent may do in each department: loaded once per agent instance and kept on it."""

from helpline.people.models import Agent, Department, Membership
from helpline.people.permissions import ALL_PERMS


def department_perms(agent: Agent) -> dict[int, frozenset[str]]:
    """Department id -> permission codes, from the agent's memberships and their roles. A department's
    manager holds every permission in it, member or not: they answer for its tickets (and get its alerts)."""
    cached = getattr(agent, "_department_perms", None)
    if cached is None:
        cached = {
            membership.department_id: membership.role.grants()
            for membership in Membership.objects.filter(
                agent=agent, department__is_active=True
            ).select_related("role")
        }
        for department_id in Department.objects.filter(manager=agent, is_active=True).values_list(
            "pk", flat=True
        ):
            cached[department_id] = ALL_PERMS
        agent._department_perms = cached
    return cached


def team_ids(agent: Agent) -> frozenset[int]:
    cached = getattr(agent, "_team_ids", None)
    if cached is None:
        cached = frozenset(agent.teams.filter(is_active=True).values_list("pk", flat=True))
        agent._team_ids = cached
    return cached


def departments_with(agent: Agent, perm: str) -> list[int]:
    return [department for department, perms in department_perms(agent).items() if perm in perms]

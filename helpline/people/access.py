"""What an agent may do in each department: loaded once per agent instance and kept on it."""

from django.db.models import Q, QuerySet

from helpline.people.models import Agent, Department, Membership, Role
from helpline.people.permissions import ALL_PERMS, Perm


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


def role_ceiling(agent: Agent) -> frozenset[str]:
    """Everything any of the agent's roles grants: the most they may do on a ticket outside their
    departments that is assigned to them or their team."""
    return frozenset().union(*department_perms(agent).values())


def works_in(agent: Agent, department_id: int) -> bool:
    """May the agent work tickets of this department (see them there)? Administrators work everywhere."""
    if not agent.is_active:
        return False
    return agent.is_administrator or Perm.VIEW in department_perms(agent).get(department_id, ())


def agents_working_in(department: Department) -> QuerySet[Agent]:
    """Active agents who may work the department's tickets: members whose role lets them see its tickets,
    its manager and the administrators. The same rule as ``works_in``, as a query."""
    view_roles = [role.pk for role in Role.objects.all() if Perm.VIEW in role.grants()]
    return (
        Agent.objects.filter(user__is_active=True)
        .filter(
            Q(memberships__department=department, memberships__role__in=view_roles)
            | Q(managed_departments=department)
            | Q(is_admin=True)
            | Q(user__is_superuser=True)
        )
        .distinct()
        .select_related("user")
    )

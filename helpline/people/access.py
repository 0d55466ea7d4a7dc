"""What an agent may do in each department: loaded once per agent instance and kept on it."""

from django.db.models import JSONField, Q, QuerySet, Value

from helpline.core.prepared import PreparedQuery
from helpline.people.models import Agent, Department, Membership, Role, Team
from helpline.people.permissions import ALL_PERMS, Perm


def department_perms(agent: Agent) -> dict[int, frozenset[str]]:
    """Department id -> permission codes, from the agent's memberships and their roles. A department's
    manager holds every permission in it, member or not: they answer for its tickets (and get its alerts)."""
    cached = getattr(agent, "_department_perms", None)
    if cached is None:
        _load(agent)
        cached = agent._department_perms
    return cached


def team_ids(agent: Agent) -> frozenset[int]:
    cached = getattr(agent, "_team_ids", None)
    if cached is None:
        _load(agent)
        cached = agent._team_ids
    return cached


def _access_rows(agent_id: int) -> QuerySet:
    """The agent's departments (with their roles' permissions), managed departments and teams, in one
    query: every staff page needs them, and three queries cost a tenth of a ticket page's time."""
    none = Value(None, output_field=JSONField())
    memberships = (
        Membership.objects.filter(agent_id=agent_id, department__is_active=True)
        .annotate(kind=Value("member"))
        .values_list("kind", "department_id", "role__permissions")
        .order_by()
    )
    managed = (
        Department.objects.filter(manager_id=agent_id, is_active=True)
        .annotate(kind=Value("manager"), perms=none)
        .values_list("kind", "pk", "perms")
        .order_by()
    )
    teams = (
        Team.objects.filter(members__id=agent_id, is_active=True)
        .annotate(kind=Value("team"), perms=none)
        .values_list("kind", "pk", "perms")
        .order_by()
    )
    return memberships.union(managed, teams, all=True)


# Compiled once per process: compiling the UNION took 0.7 ms, running it 0.02 ms.
ACCESS = PreparedQuery(_access_rows)


def _load(agent: Agent) -> None:
    perms: dict[int, frozenset[str]] = {}
    managed_ids, team_set = [], set()
    for kind, pk, codes in ACCESS.rows(agent.pk):
        if kind == "member":
            perms[pk] = frozenset(codes or ()) & ALL_PERMS
        elif kind == "manager":
            managed_ids.append(pk)
        else:
            team_set.add(pk)
    for pk in managed_ids:
        perms[pk] = ALL_PERMS
    agent._department_perms = perms
    agent._team_ids = frozenset(team_set)


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


def forget_access(agent: Agent) -> None:
    """Drop what ``department_perms`` and ``team_ids`` keep on this instance, so the next call reads again
    (after the agent's teams changed through it)."""
    for kept in ("_department_perms", "_team_ids"):
        agent.__dict__.pop(kept, None)

"""The reference rows a caller needs to fill in tickets: departments, help topics, SLA plans, statuses,
priorities, agents and teams. Read only, with the read scope; each list is one query, whole (these tables
hold tens or hundreds of rows, not millions)."""

from django.http import HttpRequest
from ninja import Router, Schema

from helpline.api.auth import require_scope
from helpline.api.errors import Error
from helpline.api.models import Scope
from helpline.api.schemas import AgentOut, agent_out
from helpline.catalog.models import Priority, TicketStatus
from helpline.people.models import Agent, Department, Team
from helpline.routing.models import HelpTopic
from helpline.sla.models import SLAPlan

router = Router(tags=["reference"])
REFUSED = {401: Error, 403: Error}


class DepartmentOut(Schema):
    id: int
    name: str
    is_active: bool


class TopicOut(Schema):
    id: int
    name: str
    department_id: int
    is_public: bool
    is_active: bool


class PlanOut(Schema):
    id: int
    name: str


class StatusOut(Schema):
    id: int
    name: str
    state: str


class PriorityOut(Schema):
    id: int
    name: str
    urgency: int
    is_default: bool


class TeamOut(Schema):
    id: int
    name: str
    is_active: bool


@router.get("/departments", response={200: list[DepartmentOut], **REFUSED})
def departments(request: HttpRequest):
    require_scope(request, Scope.READ)
    return [
        {"id": d.pk, "name": d.name, "is_active": d.is_active} for d in Department.objects.order_by("name")
    ]


@router.get("/help-topics", response={200: list[TopicOut], **REFUSED})
def help_topics(request: HttpRequest):
    require_scope(request, Scope.READ)
    return [
        {
            "id": t.pk,
            "name": t.full_name or t.name,
            "department_id": t.department_id,
            "is_public": t.is_public,
            "is_active": t.is_active,
        }
        for t in HelpTopic.objects.order_by("full_name", "pk")
    ]


@router.get("/sla-plans", response={200: list[PlanOut], **REFUSED})
def sla_plans(request: HttpRequest):
    require_scope(request, Scope.READ)
    return [{"id": p.pk, "name": p.name} for p in SLAPlan.objects.order_by("name")]


@router.get("/statuses", response={200: list[StatusOut], **REFUSED})
def statuses(request: HttpRequest):
    require_scope(request, Scope.READ)
    return [{"id": s.pk, "name": s.name, "state": s.state} for s in TicketStatus.objects.all()]


@router.get("/priorities", response={200: list[PriorityOut], **REFUSED})
def priorities(request: HttpRequest):
    require_scope(request, Scope.READ)
    return [
        {"id": p.pk, "name": p.name, "urgency": p.urgency, "is_default": p.is_default}
        for p in Priority.objects.order_by("urgency")
    ]


@router.get("/agents", response={200: list[AgentOut], **REFUSED})
def agents(request: HttpRequest):
    require_scope(request, Scope.READ)
    return [agent_out(agent) for agent in Agent.objects.select_related("user")]


@router.get("/teams", response={200: list[TeamOut], **REFUSED})
def teams(request: HttpRequest):
    require_scope(request, Scope.READ)
    return [{"id": t.pk, "name": t.name, "is_active": t.is_active} for t in Team.objects.order_by("name")]

"""Who hears of a notification: the ticket's participants, the agents an alert is for (the assignee, the
team, the department and its manager, or the agents it names), and the ticket's followers. Lists read more
than once in a lot of notifications are read once (``notification_emails.Lot``)."""

from typing import TYPE_CHECKING

from helpline.people.models import Agent, Department, Requester, Team
from helpline.people.permissions import Perm
from helpline.tickets.models import Notification, Ticket
from helpline.tickets.policy import can

if TYPE_CHECKING:
    from helpline.tickets.notification_emails import Lot

ASSIGNEE_KINDS = {"assigned", "message_alert", "sla_warning", "overdue", "reopened"}
# Alerts the department's manager hears of as well as the assignee or the team: a missed target.
MANAGER_KINDS = {"overdue"}
# To the ticket's followers (``Follower``): a reply, message, note or status change.
FOLLOWED_UPDATE = "followed_update"
# Alerts to the agents the notification names (``data["agents"]``), not to the ticket's people.
ADDRESSED_KINDS = {"mentioned"}


def participants(kind: str, ticket: Ticket, lot: "Lot") -> list[Requester]:
    """The requester and the collaborators (a new ticket's confirmation goes to its requester alone)."""
    participants = [ticket.requester]
    if kind != "new_ticket_requester":
        participants += lot.collaborators(ticket)
    return participants


def agents_for(kind: str, ticket: Ticket, data: dict, lot: "Lot") -> list[Agent]:
    if kind in ADDRESSED_KINDS:
        named = data.get("agents", [])
        return list(Agent.objects.filter(pk__in=named, user__is_active=True).select_related("user"))
    if kind in ASSIGNEE_KINDS:
        assignee, team = ticket.assignee, ticket.team
        agents: list[Agent] | None = None
        if assignee is not None and assignee.is_active:
            agents = [assignee]
        elif team is not None:
            agents = lot.agents(("team", team.pk), lambda: _members(team))
        elif kind == "assigned":
            agents = []
        if agents is not None:
            manager = ticket.department.manager
            if kind in MANAGER_KINDS and manager is not None and manager.is_active and manager not in agents:
                agents.append(manager)
            return agents
    # Department alerts go to its agents who may see its tickets, and to its manager.
    return lot.agents(("department", ticket.department_id), lambda: _department_agents(ticket.department))


def _members(team: Team) -> list[Agent]:
    return list(team.members.filter(user__is_active=True).select_related("user"))


def _department_agents(department: Department) -> list[Agent]:
    """The department's active agents whose role there lets them see its tickets, and its manager."""
    department_agents = (
        Agent.objects.filter(memberships__department=department, user__is_active=True)
        .select_related("user")
        .prefetch_related("memberships__role")
    )
    chosen = {
        agent.pk: agent
        for agent in department_agents
        if any(
            m.department_id == department.pk and Perm.VIEW in m.role.grants() for m in agent.memberships.all()
        )
    }
    manager = department.manager
    if manager is not None and manager.is_active:
        chosen[manager.pk] = manager
    return list(chosen.values())


def followers_for(notification: Notification, ticket: Ticket, lot: "Lot") -> list[Agent]:
    """The followers who may still see the ticket, but not those the same change alerts already (the
    kinds in ``covered_by``: a followed assignee gets the new-message alert, not both; and the agents in
    ``told``: a followed agent a note mentions gets the mention, not both)."""
    covered = {
        agent.pk
        for kind in notification.data.get("covered_by", [])
        for agent in agents_for(kind, ticket, {}, lot)
    } | set(notification.data.get("told", []))
    followers = Agent.objects.filter(followed__ticket=ticket, user__is_active=True).select_related("user")
    return [agent for agent in followers if agent.pk not in covered and can(agent, Perm.VIEW, ticket)]

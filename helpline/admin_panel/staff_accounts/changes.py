"""The changes an administrator makes to agents' accounts (invitation, departments and roles, teams, the
administrator flag, deactivation), each in one transaction with its audit record (before and after).

A desk always keeps one active administrator: no change here removes the last one."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q

from helpline.admin_panel.email_channel.changes import Conflict, Refused
from helpline.admin_panel.ticket_routing.changes import difference, ref
from helpline.audit.log import record
from helpline.mail.outbox import queue_email
from helpline.people import invitations
from helpline.people.models import Agent, Department, Membership, Role, Team

__all__ = ["Conflict", "Refused", "Account"]


@dataclass
class Account:
    """What the administrator sets about an agent: who they are and what they may do where."""

    first_name: str
    last_name: str
    email: str
    is_admin: bool
    roles: dict[Department, Role]  # the departments the agent is a member of, with the role in each
    teams: list[Team]
    primary: Department | None = None  # the agent's own department, one of ``roles``


def settings_of(agent: Agent) -> dict[str, Any]:
    """The agent's account as the audit log keeps it (departments and teams by id and name)."""
    memberships = sorted(
        agent.memberships.select_related("department", "role"), key=lambda m: m.department_id
    )
    return {
        "name": agent.user.get_full_name(),
        "email": agent.user.email,
        "username": agent.user.get_username(),
        "is_admin": agent.is_admin,
        "is_active": agent.user.is_active,
        "departments": [{"department": ref(m.department), "role": ref(m.role)} for m in memberships],
        "primary_department": next((ref(m.department) for m in memberships if m.is_primary), None),
        "teams": [ref(team) for team in agent.teams.order_by("pk")],
    }


def _record(actor: Agent, action: str, agent: Agent, data: dict[str, Any]) -> None:
    record(
        actor=actor,
        action=action,
        target_type="agent",
        target_id=agent.pk,
        target_repr=agent.display_name,
        data=data,
    )


def _apply(agent: Agent, account: Account) -> None:
    user = agent.user
    user.first_name, user.last_name, user.email = account.first_name, account.last_name, account.email
    user.save(update_fields=["first_name", "last_name", "email"])
    agent.is_admin = account.is_admin
    agent.save(update_fields=["is_admin"])
    agent.memberships.exclude(department__in=list(account.roles)).delete()
    for department, role in account.roles.items():
        Membership.objects.update_or_create(agent=agent, department=department, defaults={"role": role})
    # Cleared first: at most one membership is primary at any moment (a constraint says so).
    agent.memberships.filter(is_primary=True).exclude(department=account.primary).update(is_primary=False)
    if account.primary is not None:
        agent.memberships.filter(department=account.primary).update(is_primary=True)
    agent.teams.set(account.teams)


def _keep_an_administrator(agent: Agent) -> None:
    """Raise Refused when no active administrator but ``agent`` is left (call it before the agent stops
    being one, inside the transaction; the lock makes two administrators demoting each other wait)."""
    others = (
        Agent.objects.select_for_update()
        .filter(user__is_active=True)
        .filter(Q(is_admin=True) | Q(user__is_superuser=True))
        .exclude(pk=agent.pk)
    )
    if not list(others.values_list("pk", flat=True)[:1]):
        raise Refused("The desk would have no active administrator left: make another agent one first.")


def invite_agent(*, actor: Agent, username: str, account: Account) -> Agent:
    """Create the agent's account without a password and email them a sign-up link (once the transaction
    commits, through the outbox). Raises Conflict when the username was taken at the same moment."""
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=username, email=account.email, password=None)
            agent = Agent.objects.create(user=user)
            _apply(agent, account)
            send_invitation(agent, invited_by=actor)
            _record(actor, "agent.invited", agent, {"after": settings_of(agent)})
    except IntegrityError as error:
        raise Conflict(str(error)) from error
    return agent


def send_invitation(agent: Agent, *, invited_by: Agent) -> None:
    """A new link (voiding earlier ones) to the agent's address."""
    invitations.prepare(agent)
    days = invitations.VALID_FOR.days
    queue_email(
        to=[agent.user.email],
        subject="You are invited to the Helpline help desk",
        body_text=(
            f"Hello {agent.user.first_name or agent.user.get_username()},\n\n"
            f"{invited_by.display_name} invited you to work tickets at the help desk. Choose your username "
            f"and password here (the link works once, for {days} days):\n\n"
            f"{invitations.link_for(agent, settings.SITE_URL)}\n\n"
            "If you did not expect this email, ignore it: nothing happens until the link is followed.\n"
        ),
        reason="agent_invitation",
    )


def resend_invitation(*, actor: Agent, agent_id: int) -> Agent:
    """Send a new link to an agent who has not signed up yet. Raises Refused otherwise, DoesNotExist."""
    with transaction.atomic():
        agent = Agent.objects.select_for_update(of=("self",)).select_related("user").get(pk=agent_id)
        if not invitations.pending(agent) or not agent.is_active:
            raise Refused("The agent has signed up already, or is deactivated.")
        send_invitation(agent, invited_by=actor)
        _record(actor, "agent.invited", agent, {"again": True, "email": agent.user.email})
    return agent


def save_agent(*, actor: Agent, agent_id: int, account: Account) -> bool:
    """Save the account's settings. Returns whether anything changed. Raises Refused when it would take
    away the last active administrator, DoesNotExist."""
    with transaction.atomic():
        agent = Agent.objects.select_for_update(of=("self",)).select_related("user").get(pk=agent_id)
        before = settings_of(agent)
        if agent.is_admin and not account.is_admin and not agent.user.is_superuser and agent.is_active:
            _keep_an_administrator(agent)
        _apply(agent, account)
        change = difference(before, settings_of(agent))
        if not change["after"]:
            return False
        _record(actor, "agent.changed", agent, change)
    return True


def set_agent_active(*, actor: Agent, agent_id: int, active: bool) -> bool:
    """Let the agent sign in and be assigned tickets again, or no longer. Their tickets, thread entries and
    memberships stay as they are. Returns False when the agent was so already. Raises Refused when it would
    take away the last active administrator, DoesNotExist."""
    with transaction.atomic():
        agent = Agent.objects.select_for_update(of=("self",)).select_related("user").get(pk=agent_id)
        if agent.user.is_active == active:
            return False
        if not active and agent.is_administrator:
            _keep_an_administrator(agent)
        agent.user.is_active = active
        agent.user.save(update_fields=["is_active"])
        action = "agent.reactivated" if active else "agent.deactivated"
        _record(actor, action, agent, {"before": {"is_active": not active}, "after": {"is_active": active}})
    return True

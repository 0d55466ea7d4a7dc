"""The changes an administrator makes to sign-in security, each with its audit record."""

from typing import Any

from django.db import transaction

from helpline.audit.log import record
from helpline.people.models import Agent, Role
from helpline.security import second_factor, sessions
from helpline.security.models import SignInPolicy

FIELDS = ["require_everyone", "idle_minutes", "absolute_hours"]


def policy_values(policy: SignInPolicy) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(policy, name) for name in FIELDS}
    values["required_roles"] = sorted(role.name for role in policy.required_roles.all())
    return values


def set_sign_in_policy(
    *, actor: Agent, require_everyone: bool, roles: list[Role], idle_minutes: int, absolute_hours: int
) -> bool:
    """Save the policy. Returns whether anything changed (an unchanged save records nothing). Sessions
    already signed in get new lifetimes within a minute; a new requirement applies at each agent's next
    sign-in."""
    with transaction.atomic():
        SignInPolicy.current()
        policy = SignInPolicy.objects.select_for_update().get(pk=1)
        before = policy_values(policy)
        policy.require_everyone = require_everyone
        policy.idle_minutes, policy.absolute_hours = idle_minutes, absolute_hours
        policy.save(update_fields=FIELDS)
        policy.required_roles.set(roles)
        after = policy_values(policy)
        changed = [name for name in after if after[name] != before[name]]
        if not changed:
            return False
        record(
            actor=actor,
            action="sign_in_policy.changed",
            target_type="sign_in_policy",
            target_id=policy.pk,
            target_repr="Sign-in security",
            data={
                "before": {name: before[name] for name in changed},
                "after": {name: after[name] for name in changed},
            },
        )
    return True


def reset_second_factor(*, actor: Agent, agent_id: int) -> Agent:
    """Remove the agent's authenticator app and recovery codes and sign them out everywhere: their next
    sign-in asks for the password only, then for a new set-up where one is required. Raises DoesNotExist."""
    with transaction.atomic():
        agent = Agent.objects.select_related("user").get(pk=agent_id)
        second_factor.remove_devices(agent.user)
        ended = sessions.end_all_sessions(agent.user)
        record(
            actor=actor,
            action="second_factor.reset",
            target_type="agent",
            target_id=agent.pk,
            target_repr=agent.display_name,
            data={"sessions_ended": ended},
        )
    return agent

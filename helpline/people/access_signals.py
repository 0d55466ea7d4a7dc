"""Adding an agent to a team (or taking them off one) through the agent's instance forgets what that
instance kept of their access: both are read together (``access._load``)."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from helpline.people.access import forget_access
from helpline.people.models import Agent


@receiver(m2m_changed, sender=Agent.teams.through, dispatch_uid="helpline_agent_teams_access")
def teams_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Agent):
        forget_access(instance)

"""Django's superusers are Helpline administrators: ``createsuperuser`` gives them an agent profile."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender=get_user_model(), dispatch_uid="helpline_superuser_agent")
def give_superusers_an_agent_profile(sender, instance, created, raw=False, **kwargs):
    if raw or not instance.is_superuser:
        return
    from helpline.people.models import Agent

    Agent.objects.get_or_create(user=instance, defaults={"is_admin": True})

"""Factories for tests: variety where it matters; the named personas in conftest.py build on these."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model

from helpline.people.models import Agent, Department, Membership, Requester, Role, Team
from helpline.routing.models import HelpTopic
from helpline.sla.models import SLAPlan


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@staff.example.test")
    first_name = factory.Faker("first_name")
    password = factory.django.Password("correct horse battery")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class AgentFactory(factory.django.DjangoModelFactory):
    """An agent; ``departments`` (a list) become memberships with ``role`` (default: the Agent role)."""

    class Meta:
        model = Agent
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        role = kwargs.get("role") or Role.objects.get(name="Agent")
        for department in extracted or ():
            Membership.objects.create(agent=self, department=department, role=role)


class RequesterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requester

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"requester{n}@example.test")


class SLAPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SLAPlan
        django_get_or_create = ("name",)

    class Params:
        hours = 8  # shorthand: a resolution target of that many hours

    name = factory.Sequence(lambda n: f"Plan {n}")
    resolution_target = factory.LazyAttribute(lambda plan: timedelta(hours=plan.hours))


class HelpTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpTopic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    department = factory.SubFactory(DepartmentFactory)

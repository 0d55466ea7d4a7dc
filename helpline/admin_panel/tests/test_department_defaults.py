"""A department's default help topic and SLA plan, chosen on its page (and recorded), and what they do:
the topic routes a ticket that arrives for the department without one, the plan is a new ticket's when
nothing else gave one."""

import pytest
from django.test import Client
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.routing.models import DepartmentDefaults
from helpline.staff.tests.test_new_ticket import NEW, form_data
from helpline.testsupport.factories import HelpTopicFactory, SLAPlanFactory
from helpline.tickets.models import Ticket


@pytest.fixture
def sam_client(sam):
    client = Client()
    client.force_login(sam.user)
    return client


@pytest.fixture
def walk_in_topic(support):
    return HelpTopicFactory(name="Walk-in", department=support, sla_plan=None)


def edit(admin_client, department, **fields):
    data = {
        "name": department.name,
        "email": department.email,
        "reply_address": "",
        "manager": "",
        "is_active": "on",
    }
    url = reverse("admin_panel:department_edit", args=[department.pk])
    return admin_client.post(url, data | fields)


def test_the_defaults_are_chosen_on_the_department_page_and_recorded(admin_client, support, walk_in_topic):
    plan = SLAPlanFactory(name="Office hours")
    page = admin_client.get(reverse("admin_panel:department_edit", args=[support.pk])).content.decode()
    assert 'name="default_topic"' in page and 'name="default_sla_plan"' in page
    assert (
        edit(admin_client, support, default_topic=walk_in_topic.pk, default_sla_plan=plan.pk).status_code
        == 302
    )
    stored = DepartmentDefaults.objects.get(department=support)
    assert (stored.default_topic, stored.default_sla_plan) == (walk_in_topic, plan)
    entry = AuditEntry.objects.get()
    assert entry.action == "department.changed"
    assert entry.data == {
        "before": {"default_topic": None, "default_sla_plan": None},
        "after": {
            "default_topic": {"id": walk_in_topic.pk, "name": "Walk-in"},
            "default_sla_plan": {"id": plan.pk, "name": "Office hours"},
        },
    }
    edit(admin_client, support, default_topic=walk_in_topic.pk, default_sla_plan=plan.pk)
    assert AuditEntry.objects.count() == 1  # unchanged: nothing recorded


def test_another_departments_topic_is_refused(admin_client, support, it_topic):
    response = edit(admin_client, support, default_topic=it_topic.pk)
    assert response.status_code == 400
    assert not DepartmentDefaults.objects.exists() and not AuditEntry.objects.exists()


def test_a_ticket_without_a_plan_gets_the_departments(sam_client, support, walk_in_topic):
    plan = SLAPlanFactory(name="Office hours")
    DepartmentDefaults.objects.create(department=support, default_sla_plan=plan)
    assert sam_client.post(NEW, form_data(topic=walk_in_topic.pk)).status_code == 302
    assert Ticket.objects.get().sla_plan == plan


def test_the_topics_plan_comes_before_the_departments(sam_client, support, support_topic, sla_plan):
    DepartmentDefaults.objects.create(
        department=support, default_sla_plan=SLAPlanFactory(name="Office hours")
    )
    assert sam_client.post(NEW, form_data(topic=support_topic.pk)).status_code == 302
    assert Ticket.objects.get().sla_plan == sla_plan


def test_a_ticket_opened_by_department_alone_takes_its_default_topic(
    sam_client, support, support_topic, sla_plan
):
    DepartmentDefaults.objects.create(department=support, default_topic=support_topic)
    assert sam_client.post(NEW, form_data(department=support.pk)).status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.topic, ticket.sla_plan) == (support_topic, sla_plan)  # routed as by the topic


def test_an_inactive_default_topic_is_passed_over(sam_client, support, support_topic):
    DepartmentDefaults.objects.create(department=support, default_topic=support_topic)
    support_topic.is_active = False
    support_topic.save()
    assert sam_client.post(NEW, form_data(department=support.pk)).status_code == 302
    assert Ticket.objects.get().topic is None

"""An agent's primary department: one of their departments, chosen on the invitation and the agent's page
(recorded), shown in the agents list, and the staff new-ticket form's department until they choose."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.people.models import Agent, Membership, Role
from helpline.testsupport.factories import AgentFactory, UserFactory
from helpline.tickets.models import Ticket

INVITE = reverse("admin_panel:agent_invite")
AGENTS = reverse("admin_panel:agents")


def edit_data(agent, **fields) -> dict:
    return {"first_name": agent.user.first_name, "last_name": "", "email": agent.user.email} | fields


def primaries(agent) -> list[str]:
    return list(
        Membership.objects.filter(agent=agent, is_primary=True).values_list("department__name", flat=True)
    )


def test_an_invitation_sets_the_primary_department(admin_client, support, it_department):
    role = Role.objects.get(name="Agent")
    data = {"first_name": "Nora", "last_name": "", "email": "nora@staff.example.test", "username": "nora"}
    data |= {f"role_{support.pk}": role.pk, f"role_{it_department.pk}": role.pk}
    assert admin_client.post(INVITE, data | {"primary_department": it_department.pk}).status_code == 302
    nora = Agent.objects.get(user__username="nora")
    assert primaries(nora) == ["IT"]
    assert AuditEntry.objects.get().data["after"]["primary_department"] == {
        "id": it_department.pk,
        "name": "IT",
    }


def test_an_edit_moves_the_primary_department_and_records_it(admin_client, sam, support, it_department):
    role = Role.objects.get(name="Agent")
    url = reverse("admin_panel:agent_edit", args=[sam.pk])
    roles = {f"role_{support.pk}": role.pk, f"role_{it_department.pk}": role.pk}
    assert admin_client.post(url, edit_data(sam, **roles, primary_department=support.pk)).status_code == 302
    assert primaries(sam) == ["Support"]
    assert f'<option value="{support.pk}" selected>' in admin_client.get(url).content.decode()
    assert (
        admin_client.post(url, edit_data(sam, **roles, primary_department=it_department.pk)).status_code
        == 302
    )
    assert primaries(sam) == ["IT"]
    entry = AuditEntry.objects.latest("pk")
    assert entry.data == {
        "before": {"primary_department": {"id": support.pk, "name": "Support"}},
        "after": {"primary_department": {"id": it_department.pk, "name": "IT"}},
    }


def test_the_primary_department_is_one_of_the_agents(admin_client, sam, support, it_department):
    url = reverse("admin_panel:agent_edit", args=[sam.pk])
    data = edit_data(sam, **{f"role_{support.pk}": Role.objects.get(name="Agent").pk})
    response = admin_client.post(url, data | {"primary_department": it_department.pk})
    assert response.status_code == 400
    assert "Give the agent a role in their primary department." in response.content.decode()
    assert primaries(sam) == [] and not AuditEntry.objects.exists()


def test_the_list_shows_each_agents_primary_department(
    admin_client, sam, support, django_assert_max_num_queries
):
    Membership.objects.filter(agent=sam).update(is_primary=True)
    for n in range(4):
        other = AgentFactory(user=UserFactory(username=f"agent{n}"), departments=[support])
        Membership.objects.filter(agent=other).update(is_primary=True)
    with django_assert_max_num_queries(8):
        content = admin_client.get(AGENTS).content.decode()
    row = re.search(rf'<tr id="agent-{sam.pk}".*?</tr>', content, re.S).group(0)
    assert '<td data-label="Primary department">Support</td>' in row
    assert content.count('<td data-label="Primary department">Support</td>') == 5


def test_the_new_ticket_form_starts_in_the_agents_primary_department(ivan, it_department, support):
    Membership.objects.create(agent=ivan, department=support, role=Role.objects.get(name="Agent"))
    Membership.objects.filter(agent=ivan, department=it_department).update(is_primary=True)
    client = Client()
    client.force_login(ivan.user)
    page = client.get(reverse("staff:ticket_new")).content.decode()
    assert f'<option value="{it_department.pk}" selected>' in page
    assert f'<option value="{support.pk}" selected>' not in page


def _opened(client, **fields):
    data = {"email": "walter@example.test", "name": "Walter", "source": "phone", "subject": "Dark screen"}
    response = client.post(reverse("staff:ticket_new"), data | {"body": "Called.", "priority": ""} | fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Ticket.objects.get(subject="Dark screen")


@pytest.fixture
def ivan_in_both(ivan, it_department, support):
    """Ivan works in IT (his primary department) and in Support."""
    Membership.objects.create(agent=ivan, department=support, role=Role.objects.get(name="Agent"))
    Membership.objects.filter(agent=ivan, department=it_department).update(is_primary=True)
    client = Client()
    client.force_login(ivan.user)
    return client


def test_a_topic_chosen_with_the_preset_department_left_alone_routes_the_ticket(
    ivan_in_both, it_department, support, support_topic
):
    page = ivan_in_both.get(reverse("staff:ticket_new")).content.decode()
    assert f'name="department_preset" value="{it_department.pk}"' in page
    preset = {"department": it_department.pk, "department_preset": it_department.pk}
    ticket = _opened(ivan_in_both, topic=support_topic.pk, **preset)
    assert ticket.department == support  # the Support topic's, not the department the form started at


def test_a_department_chosen_over_the_preset_overrides_the_topic(
    ivan_in_both, it_department, it_topic, support
):
    chosen = {"department": support.pk, "department_preset": it_department.pk}
    assert _opened(ivan_in_both, topic=it_topic.pk, **chosen).department == support


def test_the_preset_department_without_a_topic_is_the_tickets(ivan_in_both, it_department):
    preset = {"department": it_department.pk, "department_preset": it_department.pk}
    assert _opened(ivan_in_both, topic="", **preset).department == it_department

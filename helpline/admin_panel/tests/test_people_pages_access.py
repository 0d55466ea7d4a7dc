"""The pages of departments, teams, agents and roles are for administrators only, and every change they
make is a POST that carries the CSRF token: anonymous visitors go to the sign-in, agents are refused, a
forged post changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.people.models import Agent, Department, Membership, Role, Team
from helpline.testsupport.factories import TeamFactory


@pytest.fixture
def records(support, sam):
    return support, TeamFactory(name="Night shift"), sam, Role.objects.create(name="Spare")


def snapshot():
    return (
        list(Department.objects.values_list("name", "is_active", "manager")),
        list(Team.objects.values_list("name", "is_active", "lead")),
        list(Agent.objects.values_list("user__username", "user__is_active", "is_admin")),
        list(Membership.objects.values_list("agent", "department", "role")),
        list(Role.objects.values_list("name", "permissions")),
    )


@pytest.fixture
def pages(records):
    department, team, agent, role = records
    return [
        reverse("admin_panel:departments"),
        reverse("admin_panel:department_new"),
        reverse("admin_panel:department_edit", args=[department.pk]),
        reverse("admin_panel:teams"),
        reverse("admin_panel:team_new"),
        reverse("admin_panel:team_edit", args=[team.pk]),
        reverse("admin_panel:agents"),
        reverse("admin_panel:agent_invite"),
        reverse("admin_panel:agent_edit", args=[agent.pk]),
        reverse("admin_panel:roles"),
        reverse("admin_panel:role_new"),
        reverse("admin_panel:role_edit", args=[role.pk]),
    ]


@pytest.fixture
def posts(records):
    department, team, agent, role = records
    return [
        (reverse("admin_panel:department_new"), {"name": "Billing", "is_active": "on"}),
        (reverse("admin_panel:department_edit", args=[department.pk]), {"name": "Renamed"}),
        (reverse("admin_panel:team_new"), {"name": "Day shift", "is_active": "on"}),
        (reverse("admin_panel:team_edit", args=[team.pk]), {"name": "Renamed"}),
        (reverse("admin_panel:agent_invite"), {"first_name": "Nora", "email": "nora@example.test"}),
        (reverse("admin_panel:agent_edit", args=[agent.pk]), {"first_name": "S", "email": "s@example.test"}),
        (reverse("admin_panel:agent_deactivate", args=[agent.pk]), {}),
        (reverse("admin_panel:agent_reactivate", args=[agent.pk]), {}),
        (reverse("admin_panel:agent_resend", args=[agent.pk]), {}),
        (reverse("admin_panel:role_new"), {"name": "Reader", "perms_reading": ["view"]}),
        (reverse("admin_panel:role_edit", args=[role.pk]), {"name": "Renamed"}),
        (reverse("admin_panel:role_delete", args=[role.pk]), {}),
    ]


def test_anonymous_visitors_are_sent_to_the_sign_in(client, pages, posts):
    before = snapshot()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login")), url
    for url, data in posts:
        assert client.post(url, data).status_code == 302, url
    assert snapshot() == before and not AuditEntry.objects.exists()


def test_agents_who_are_not_administrators_are_refused(client, sam, pages, posts):
    before = snapshot()
    client.force_login(sam.user)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403 and "for Helpline administrators" in response.content.decode(), url
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert snapshot() == before and not AuditEntry.objects.exists()


def test_administrators_see_every_page(admin_client, pages):
    for url in pages:
        assert admin_client.get(url).status_code == 200, url


def test_every_change_needs_the_csrf_token(ada, posts):
    before = snapshot()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ada.user)
    for url, data in posts:
        assert browser.post(url, data).status_code == 403, url
    assert snapshot() == before and not AuditEntry.objects.exists()


def test_changes_are_never_made_on_get(admin_client, posts):
    before = snapshot()
    for url, _ in posts:
        if url.endswith(("/deactivate/", "/reactivate/", "/resend/", "/delete/")):
            assert admin_client.get(url).status_code == 405, url
    assert snapshot() == before

"""Departments and teams in the administration area: created, edited, deactivated (never deleted), each
change on the audit log with what it was and what it became."""

import pytest
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.people.access import works_in
from helpline.people.models import Agent, Department, Team
from helpline.testsupport.factories import TeamFactory

DEPARTMENTS = reverse("admin_panel:departments")
TEAMS = reverse("admin_panel:teams")


def department_data(**fields) -> dict:
    return {"name": "Billing", "email": "", "reply_address": "", "manager": "", "is_active": "on"} | fields


def test_a_department_is_created_with_its_manager_and_recorded(admin_client, ada, sam):
    data = department_data(name="  Billing   desk ", manager=sam.pk, reply_address="billing@helpline.example")
    response = admin_client.post(reverse("admin_panel:department_new"), data)
    assert response.status_code == 302
    department = Department.objects.get(name="Billing desk")
    assert department.manager == sam and department.reply_address == "billing@helpline.example"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_id) == (
        "department.created",
        ada.pk,
        str(department.pk),
    )
    assert entry.data["after"]["manager"] == {"id": sam.pk, "name": "Sam"}
    assert works_in(Agent.objects.get(pk=sam.pk), department.pk)  # the manager works its tickets


def test_an_edit_records_only_what_changed(admin_client, support):
    url = reverse("admin_panel:department_edit", args=[support.pk])
    data = department_data(
        name="Support", email="support-team@example.test", reply_address="help@example.test"
    )
    assert admin_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.action == "department.changed"
    assert entry.data == {"before": {"reply_address": ""}, "after": {"reply_address": "help@example.test"}}
    admin_client.post(url, data)
    assert AuditEntry.objects.count() == 1  # saving it unchanged records nothing


def test_a_name_is_unique_whatever_its_case(admin_client, support):
    response = admin_client.post(reverse("admin_panel:department_new"), department_data(name="SUPPORT"))
    assert response.status_code == 400
    assert "Another department already has this name." in response.content.decode()
    assert Department.objects.count() == 1


def test_a_department_holding_open_tickets_stays_active(admin_client, support, ticket):
    url = reverse("admin_panel:department_edit", args=[support.pk])
    response = admin_client.post(url, department_data(name="Support", is_active=""))
    assert response.status_code == 400
    assert "open or pending tickets" in response.content.decode()
    support.refresh_from_db()
    assert support.is_active and not AuditEntry.objects.exists()


def test_a_department_without_work_is_deactivated_and_its_members_lose_it(admin_client, it_department, ivan):
    url = reverse("admin_panel:department_edit", args=[it_department.pk])
    assert admin_client.post(url, department_data(name="IT", is_active="")).status_code == 302
    it_department.refresh_from_db()
    assert not it_department.is_active
    assert AuditEntry.objects.get().action == "department.deactivated"
    assert not works_in(Agent.objects.get(pk=ivan.pk), it_department.pk)
    assert Department.objects.filter(pk=it_department.pk).exists()  # never deleted


def test_the_list_takes_a_constant_number_of_queries(
    admin_client, support, sam, django_assert_max_num_queries
):
    for n in range(5):
        Department.objects.create(name=f"Desk {n}", manager=sam)
    with django_assert_max_num_queries(8):
        content = admin_client.get(DEPARTMENTS).content.decode()
    assert content.count('class="title"') == 6


def test_a_team_is_created_with_members_and_its_lead_among_them(admin_client, ada, sam, ivan, lena):
    data = {"name": "Escalations", "lead": lena.pk, "members": [sam.pk, ivan.pk], "is_active": "on"}
    assert admin_client.post(reverse("admin_panel:team_new"), data).status_code == 302
    team = Team.objects.get(name="Escalations")
    assert set(team.members.all()) == {sam, ivan, lena} and team.lead == lena
    entry = AuditEntry.objects.get()
    assert entry.action == "team.created"
    assert [member["id"] for member in entry.data["after"]["members"]] == sorted([sam.pk, ivan.pk, lena.pk])


def test_a_team_change_records_members_before_and_after(admin_client, sam, ivan):
    team = TeamFactory(name="Night shift")
    team.members.set([sam])
    url = reverse("admin_panel:team_edit", args=[team.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"name": "Night shift", "lead": "", "members": [ivan.pk]})
    entry = AuditEntry.objects.get()
    assert entry.action == "team.deactivated"  # the box was left unticked
    assert entry.data["before"]["members"] == [{"id": sam.pk, "name": "Sam"}]
    assert entry.data["after"] == {"is_active": False, "members": [{"id": ivan.pk, "name": "Ivan"}]}
    assert list(team.members.all()) == [ivan]


def test_renaming_a_team_records_the_change(admin_client, sam):
    team = TeamFactory(name="Night shift")
    url = reverse("admin_panel:team_edit", args=[team.pk])
    data = {"name": "Late shift", "lead": "", "members": [sam.pk], "is_active": "on"}
    assert admin_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.action == "team.changed"
    assert entry.data["before"]["name"] == "Night shift" and entry.data["after"]["name"] == "Late shift"


def test_the_team_list_shows_member_counts(admin_client, sam, django_assert_max_num_queries):
    for n in range(4):
        TeamFactory(name=f"Team {n}", lead=sam).members.set([sam])
    with django_assert_max_num_queries(8):
        content = admin_client.get(TEAMS).content.decode()
    assert content.count('data-label="Members">1<') == 4


@pytest.mark.parametrize("name", ["departments", "teams"])
def test_the_index_leads_to_the_organisation_pages(admin_client, name):
    assert reverse(f"admin_panel:{name}") in admin_client.get(reverse("admin_panel:index")).content.decode()


def test_a_departments_signature_is_edited_and_recorded(admin_client, support):
    url = reverse("admin_panel:department_edit", args=[support.pk])
    assert b'name="signature"' in admin_client.get(url).content
    data = department_data(name="Support", email=support.email, signature="Support desk")
    assert admin_client.post(url, data).status_code == 302
    assert Department.objects.get(pk=support.pk).signature == "Support desk"
    entry = AuditEntry.objects.get()
    assert entry.data == {"before": {"signature": ""}, "after": {"signature": "Support desk"}}

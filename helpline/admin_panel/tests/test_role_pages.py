"""Roles in the administration area: the permissions in labelled groups, a new role's grants taking effect
on the tickets of the departments it is held in, and no deletion of a role in use."""

from django.urls import reverse

from helpline.admin_panel.roles.forms import GROUPS
from helpline.audit.models import AuditEntry
from helpline.people.access import department_perms
from helpline.people.models import Agent, Membership, Role
from helpline.people.permissions import Perm


def test_every_permission_is_offered_once_with_its_label():
    offered = [perm for _, perms in GROUPS for perm in perms]
    assert sorted(offered) == sorted(Perm) and len(offered) == len(set(offered))


def test_the_form_shows_the_groups_and_labels(admin_client, db):
    content = admin_client.get(reverse("admin_panel:role_new")).content.decode()
    for title, perms in GROUPS:
        assert title in content
        for perm in perms:
            assert perm.label in content


def test_a_role_is_created_and_its_grants_apply_where_it_is_held(admin_client, ada, sam, support):
    data = {"name": "Triage", "perms_reading": ["view", "note"], "perms_handing": ["assign"]}
    assert admin_client.post(reverse("admin_panel:role_new"), data).status_code == 302
    role = Role.objects.get(name="Triage")
    assert role.permissions == ["view", "note", "assign"]  # in Perm's order
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id) == ("role.created", ada.pk)
    assert entry.data["after"] == {"name": "Triage", "permissions": ["assign", "note", "view"]}
    Membership.objects.filter(agent=sam, department=support).update(role=role)
    assert department_perms(Agent.objects.get(pk=sam.pk))[support.pk] == {"view", "note", "assign"}


def test_a_change_records_the_permissions_before_and_after(admin_client, db):
    role = Role.objects.create(name="Reader", permissions=["view"])
    url = reverse("admin_panel:role_edit", args=[role.pk])
    assert admin_client.post(url, {"name": "Reader", "perms_reading": ["view", "reply"]}).status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.action == "role.changed"
    assert entry.data == {"before": {"permissions": ["view"]}, "after": {"permissions": ["reply", "view"]}}


def test_a_role_in_use_is_not_deleted(admin_client, sam):
    role = Membership.objects.get(agent=sam).role
    response = admin_client.post(reverse("admin_panel:role_delete", args=[role.pk]), follow=True)
    assert "The role stays." in response.content.decode()
    assert Role.objects.filter(pk=role.pk).exists() and not AuditEntry.objects.exists()


def test_an_unused_role_is_deleted_and_recorded(admin_client, db):
    role = Role.objects.create(name="Spare", permissions=["view"])
    response = admin_client.post(reverse("admin_panel:role_delete", args=[role.pk]))
    assert response.status_code == 302 and not Role.objects.filter(pk=role.pk).exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_repr, entry.data["before"]["permissions"]) == (
        "role.deleted",
        "Spare",
        ["view"],
    )


def test_the_list_shows_how_many_hold_each_role(admin_client, sam, lena, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        content = admin_client.get(reverse("admin_panel:roles")).content.decode()
    agent_role = Membership.objects.get(agent=sam).role
    row = content[content.index(f'id="role-{agent_role.pk}"') :]
    assert 'data-label="Memberships">1<' in row[: row.index("</tr>")]

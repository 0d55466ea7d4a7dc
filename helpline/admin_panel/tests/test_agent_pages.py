"""Agents in the administration area: invited by email with a sign-up link that works once and for a
week, set up with the password validators applied, edited (departments and roles, teams, the
administrator flag), deactivated without losing their tickets, reactivated; never the last administrator
away; each change on the audit log."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.people import invitations
from helpline.people.access import agents_working_in
from helpline.people.models import Agent, Membership, Role
from helpline.testsupport.factories import AgentFactory, TeamFactory, UserFactory
from helpline.tickets.actions import assign_ticket

INVITE = reverse("admin_panel:agent_invite")
AGENTS = reverse("admin_panel:agents")


def account(**fields) -> dict:
    return {
        "first_name": "Nora",
        "last_name": "New",
        "email": "nora@staff.example.test",
        "username": "",
    } | fields


@pytest.fixture
def invite(admin_client, django_capture_on_commit_callbacks):
    def send(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            return admin_client.post(INVITE, account(**fields))

    return send


def link_in(message) -> str:
    return re.search(r"https?://\S+/staff/join/\S+/", message.body).group(0)


def signs_in(username: str, password: str) -> bool:
    """Does the staff sign-in let this person in (through the page, as axes wants a request)?"""
    response = Client().post(reverse("staff:login"), {"username": username, "password": password})
    return response.status_code == 302


def path_of(link: str) -> str:
    return link[link.index("/staff/") :]


def test_an_invitation_creates_the_agent_and_emails_a_link(invite, ada, support, it_department):
    team = TeamFactory(name="Escalations")
    manager, limited = Role.objects.get(name="Manager"), Role.objects.get(name="Limited")
    response = invite(
        **{f"role_{support.pk}": manager.pk, f"role_{it_department.pk}": limited.pk}, teams=[team.pk]
    )
    agent = Agent.objects.get(user__email="nora@staff.example.test")
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin_panel:agent_edit", args=[agent.pk]
    )
    assert {(m.department, m.role) for m in agent.memberships.all()} == {
        (support, manager),
        (it_department, limited),
    }
    assert list(agent.teams.all()) == [team] and not agent.is_admin
    assert agent.user.username == "nora@staff.example.test" and not agent.user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["nora@staff.example.test"] and "/staff/join/" in message.body
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_id) == ("agent.invited", ada.pk, str(agent.pk))
    assert entry.data["after"]["departments"][0]["role"]["name"] in {"Manager", "Limited"}


def test_the_agent_sets_a_password_the_validators_accept_and_signs_in(invite, db):
    invite(username="nora")
    link = path_of(link_in(mail.outbox[0]))
    visitor = Client()
    assert 'value="nora"' in visitor.get(link).content.decode()
    weak = visitor.post(link, {"username": "nora", "password1": "nora", "password2": "nora"})
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    data = {"username": "nora.new", "password1": "a long walk at dawn", "password2": "a long walk at dawn"}
    assert visitor.post(link, data)["Location"] == reverse("staff:login")
    assert signs_in("nora.new", "a long walk at dawn")
    entry = AuditEntry.objects.filter(action="agent.joined").get()
    assert entry.data == {"before": {"username": "nora"}, "after": {"username": "nora.new"}}
    again = Client().get(link)
    assert again.status_code == 404 and "no longer works" in again.content.decode()  # once only


def test_a_link_expires(invite, monkeypatch):
    invite()
    link = path_of(link_in(mail.outbox[0]))
    monkeypatch.setattr(invitations, "VALID_FOR", timedelta(seconds=-1))
    assert Client().get(link).status_code == 404


def test_a_forged_link_is_refused(db):
    assert Client().get(reverse("staff:join", args=["not-a-token"])).status_code == 404


def test_a_new_link_voids_the_earlier_one(invite, admin_client, django_capture_on_commit_callbacks):
    invite()
    agent = Agent.objects.get(user__email="nora@staff.example.test")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin_panel:agent_resend", args=[agent.pk]))
    first, second = (path_of(link_in(message)) for message in mail.outbox)
    assert Client().get(first).status_code == 404 and Client().get(second).status_code == 200


def test_an_email_address_belongs_to_one_agent(invite, sam):
    response = invite(email="SAM@staff.example.test")
    assert (
        response.status_code == 400
        and "Another agent already has this email address." in response.content.decode()
    )
    assert not mail.outbox


def test_an_edit_changes_roles_and_records_them(admin_client, sam, support, it_department):
    manager = Role.objects.get(name="Manager")
    data = {"first_name": "Sam", "last_name": "", "email": sam.user.email, f"role_{support.pk}": manager.pk}
    data[f"role_{it_department.pk}"] = manager.pk
    assert admin_client.post(reverse("admin_panel:agent_edit", args=[sam.pk]), data).status_code == 302
    assert set(Membership.objects.filter(agent=sam).values_list("department__name", "role__name")) == {
        ("Support", "Manager"),
        ("IT", "Manager"),
    }
    entry = AuditEntry.objects.get()
    assert entry.action == "agent.changed" and list(entry.data["after"]) == ["departments"]
    assert [d["role"]["name"] for d in entry.data["before"]["departments"]] == ["Agent"]


def test_the_edit_page_links_to_the_availability_page(admin_client, sam):
    content = admin_client.get(reverse("admin_panel:agent_edit", args=[sam.pk])).content.decode()
    assert reverse("admin_panel:agent_availability_edit", args=[sam.pk]) in content


def test_a_deactivated_agent_cannot_sign_in_nor_be_assigned_and_keeps_their_tickets(
    admin_client, sam, support, ticket, ada
):
    assign_ticket(actor=ada, ticket=ticket, agent=sam)
    sam.user.set_password("correct horse battery")
    sam.user.save()
    assert admin_client.post(reverse("admin_panel:agent_deactivate", args=[sam.pk])).status_code == 302
    assert not signs_in("sam", "correct horse battery")
    assert sam not in agents_working_in(support)
    ticket.refresh_from_db()
    assert ticket.assignee_id == sam.pk and Membership.objects.filter(agent=sam).exists()
    assert AuditEntry.objects.filter(action="agent.deactivated", target_id=str(sam.pk)).exists()
    admin_client.post(reverse("admin_panel:agent_reactivate", args=[sam.pk]))
    assert signs_in("sam", "correct horse battery")
    assert AuditEntry.objects.filter(action="agent.reactivated").exists()


def test_the_last_administrator_cannot_deactivate_or_demote_themselves(admin_client, ada):
    response = admin_client.post(reverse("admin_panel:agent_deactivate", args=[ada.pk]), follow=True)
    assert "no active administrator left" in response.content.decode()
    data = {"first_name": "Ada", "last_name": "", "email": ada.user.email}  # the box left unticked
    response = admin_client.post(reverse("admin_panel:agent_edit", args=[ada.pk]), data)
    assert response.status_code == 400 and "no active administrator left" in response.content.decode()
    ada.refresh_from_db()
    assert ada.is_admin and ada.user.is_active and not AuditEntry.objects.exists()


def test_with_another_administrator_one_may_step_down(admin_client, ada):
    AgentFactory(user=UserFactory(username="grace"), is_admin=True)
    data = {"first_name": "Ada", "last_name": "", "email": ada.user.email}
    assert admin_client.post(reverse("admin_panel:agent_edit", args=[ada.pk]), data).status_code == 302
    ada.refresh_from_db()
    assert not ada.is_admin


def test_the_list_is_searched_and_filtered(admin_client, sam, ivan, ada):
    ivan.user.is_active = False
    ivan.user.save()
    content = admin_client.get(AGENTS, {"q": "sam@staff"}).content.decode()
    assert f'id="agent-{sam.pk}"' in content and f'id="agent-{ada.pk}"' not in content
    assert f'id="agent-{ivan.pk}"' not in admin_client.get(AGENTS).content.decode()
    assert f'id="agent-{ivan.pk}"' in admin_client.get(AGENTS, {"status": "inactive"}).content.decode()


def test_the_list_takes_a_constant_number_of_queries(admin_client, support, django_assert_max_num_queries):
    for n in range(6):
        AgentFactory(user=UserFactory(username=f"agent{n}"), departments=[support])
    with django_assert_max_num_queries(8):
        content = admin_client.get(AGENTS).content.decode()
    assert content.count('class="title"') == 7


def test_deactivating_an_agent_ends_the_sessions_they_have(admin_client, sam):
    browser = Client()
    browser.force_login(sam.user)
    assert browser.get(reverse("staff:dashboard")).status_code == 200
    admin_client.post(reverse("admin_panel:agent_deactivate", args=[sam.pk]))
    assert browser.get(reverse("staff:dashboard"))["Location"].startswith(reverse("staff:login"))


def test_a_deactivated_agent_s_sign_up_link_stops_working(invite, admin_client):
    invite()
    agent = Agent.objects.get(user__email="nora@staff.example.test")
    admin_client.post(reverse("admin_panel:agent_deactivate", args=[agent.pk]))
    assert Client().get(path_of(link_in(mail.outbox[0]))).status_code == 404

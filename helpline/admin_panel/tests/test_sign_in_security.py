"""The "Sign-in security" section: the policy (second factor for everyone or by role, session lifetimes)
with its audit record, the agents' second factors, and resetting one."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpline.audit.models import AuditEntry
from helpline.people.models import Role
from helpline.security.models import SignInPolicy
from helpline.testsupport.factories import AgentFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("admin_panel:sign_in_security")


def policy_form(**changes) -> dict:
    return {"idle_minutes": "30", "absolute_hours": "12"} | changes


def test_only_administrators_enter(sam):
    client = Client()
    client.force_login(sam.user)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, policy_form(require_everyone="on")).status_code == 403
    assert not SignInPolicy.objects.filter(require_everyone=True).exists()


def test_the_section_is_listed(admin_client):
    assert PAGE.encode() in admin_client.get(reverse("admin_panel:index")).content


def test_changing_the_policy_is_recorded(admin_client, ada):
    limited = Role.objects.get(name="Limited")
    response = admin_client.post(
        PAGE, policy_form(require_everyone="on", required_roles=[str(limited.pk)], idle_minutes="15")
    )
    assert response.status_code == 302
    policy = SignInPolicy.current()
    assert policy.require_everyone and policy.idle_minutes == 15
    assert list(policy.required_roles.all()) == [limited]
    entry = AuditEntry.objects.get(action="sign_in_policy.changed")
    assert entry.actor_id == ada.pk
    assert entry.data == {
        "before": {"require_everyone": False, "idle_minutes": 30, "required_roles": []},
        "after": {"require_everyone": True, "idle_minutes": 15, "required_roles": ["Limited"]},
    }


def test_an_unchanged_save_records_nothing(admin_client):
    admin_client.post(PAGE, policy_form())
    assert not AuditEntry.objects.filter(action="sign_in_policy.changed").exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"idle_minutes": "0"},
        {"absolute_hours": "0"},
        {"idle_minutes": "600", "absolute_hours": "2"},
        {"idle_minutes": "x"},
    ],
)
def test_bad_lifetimes_are_refused_with_a_reason(admin_client, changes):
    response = admin_client.post(PAGE, policy_form(**changes))
    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert SignInPolicy.current().idle_minutes == 30


def test_the_agents_are_listed_with_their_second_factor(
    admin_client, sam, ivan, django_assert_max_num_queries
):
    TOTPDevice.objects.create(user=sam.user, name="Phone", confirmed=True)
    for _ in range(10):
        AgentFactory()
    with django_assert_max_num_queries(12):
        page = admin_client.get(PAGE)
    rows = {agent.user.username: agent.has_factor for agent in page.context["agents"]}
    assert rows["sam"] is True and rows["ivan"] is False


def test_resetting_an_agents_second_factor_signs_them_out(admin_client, ada, sam):
    TOTPDevice.objects.create(user=sam.user, name="Phone", confirmed=True)
    sams = Client()
    sams.force_login(sam.user)
    response = admin_client.post(reverse("admin_panel:second_factor_reset", args=[sam.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=sam.user).exists()
    assert sams.get("/staff/")["Location"].startswith(reverse("staff:login"))
    entry = AuditEntry.objects.get(action="second_factor.reset")
    assert (entry.actor_id, entry.target_id, entry.data) == (ada.pk, str(sam.pk), {"sessions_ended": 1})


def test_resetting_nobody_is_not_found(admin_client):
    assert admin_client.post(reverse("admin_panel:second_factor_reset", args=[999999])).status_code == 404

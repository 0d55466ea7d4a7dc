"""Signing agents in with their directory password, against a real OpenLDAP server (testsupport.slapd)."""

import ldap
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_auth_ldap.config import GroupOfNamesType, LDAPSearch

from helpline.config.sso import ldap_connection_options
from helpline.people.models import Agent
from helpline.testsupport.factories import AgentFactory, UserFactory
from helpline.testsupport.slapd import ADMINS_GROUP, GROUPS, PEOPLE, ROOT_DN

LOGIN = reverse("staff:login")
DASHBOARD = reverse("staff:dashboard")


@pytest.fixture
def ldap_on(settings, slapd):
    """Configured as the README's example: a service account searches people by uid, over StartTLS with the
    test server's authority."""
    settings.HELPLINE_LDAP_ENABLED = True
    settings.HELPLINE_LDAP_MATCH_BY = "email"
    settings.HELPLINE_LDAP_EMAIL_ATTRIBUTE = "mail"
    settings.AUTH_LDAP_SERVER_URI = slapd.uri
    settings.AUTH_LDAP_BIND_DN = ROOT_DN
    settings.AUTH_LDAP_BIND_PASSWORD = slapd.root_password
    settings.AUTH_LDAP_USER_SEARCH = LDAPSearch(PEOPLE, ldap.SCOPE_SUBTREE, "(uid=%(user)s)")
    settings.AUTH_LDAP_START_TLS = True
    settings.AUTH_LDAP_CONNECTION_OPTIONS = ldap_connection_options(10, str(slapd.ca_file))
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "helpline.staff.sso.ldap.AgentLDAPBackend",
    ]
    return slapd


def sign_in(client, person, password=None):
    return client.post(LOGIN, {"username": person.uid, "password": password or person.password})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_an_agent_signs_in_with_the_directory_password_matched_by_email_and_the_session_rotates(
    client, sam, ldap_on
):
    person = ldap_on.add_person("SAM@Staff.Example.test", uid="sam.smith")
    key_before = client.session.session_key
    response = sign_in(client, person)
    assert response.status_code == 302 and response.url == DASHBOARD
    assert signed_in_user_id(client) == str(sam.user.pk)
    assert client.session.session_key != key_before
    assert client.get(reverse("staff:queue", args=["open"])).status_code == 200


def test_a_wrong_directory_password_is_refused(client, sam, ldap_on):
    person = ldap_on.add_person(sam.user.email)
    response = sign_in(client, person, password="not the password")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert signed_in_user_id(client) is None


def test_a_directory_person_without_an_agent_is_refused_and_no_account_is_made(client, sam, ldap_on):
    person = ldap_on.add_person("stranger@example.test")
    users_before = type(sam.user).objects.count()
    response = sign_in(client, person)
    assert response.status_code == 200
    assert b"There is no Helpline agent with this address" in response.content
    assert signed_in_user_id(client) is None
    assert type(sam.user).objects.count() == users_before and Agent.objects.count() == 1


def test_an_inactive_agent_is_refused(client, sam, ldap_on):
    sam.user.is_active = False
    sam.user.save()
    person = ldap_on.add_person(sam.user.email)
    response = sign_in(client, person)
    assert response.status_code == 200 and b"deactivated" in response.content
    assert signed_in_user_id(client) is None


def test_matching_by_email_ignores_a_username_that_happens_to_be_an_agents(client, sam, ldap_on):
    person = ldap_on.add_person("someone.else@example.test", uid="sam")
    response = sign_in(client, person)
    assert response.status_code == 200 and signed_in_user_id(client) is None


def test_matching_by_username_when_configured(client, support, ldap_on, settings):
    settings.HELPLINE_LDAP_MATCH_BY = "username"
    kim = AgentFactory(
        user=UserFactory(username="kim", email="kim@staff.example.test"), departments=[support]
    )
    person = ldap_on.add_person("kim.private@example.test", uid="Kim")
    response = sign_in(client, person)
    assert response.status_code == 302 and signed_in_user_id(client) == str(kim.user.pk)


def test_directory_groups_and_attributes_grant_and_change_nothing(client, sam, ldap_on, settings):
    """Even configured to (group flags, attribute copying, group mirroring), the directory changes nothing."""
    settings.AUTH_LDAP_GROUP_SEARCH = LDAPSearch(GROUPS, ldap.SCOPE_SUBTREE, "(objectClass=groupOfNames)")
    settings.AUTH_LDAP_GROUP_TYPE = GroupOfNamesType()
    settings.AUTH_LDAP_USER_FLAGS_BY_GROUP = {"is_superuser": ADMINS_GROUP, "is_staff": ADMINS_GROUP}
    settings.AUTH_LDAP_USER_ATTR_MAP = {"first_name": "givenName", "email": "mail"}
    settings.AUTH_LDAP_ALWAYS_UPDATE_USER = True
    settings.AUTH_LDAP_MIRROR_GROUPS = True
    roles_before = list(sam.memberships.values_list("department_id", "role_id"))
    person = ldap_on.add_person(sam.user.email.upper(), groups=(ADMINS_GROUP,))
    assert sign_in(client, person).status_code == 302
    sam.refresh_from_db()
    sam.user.refresh_from_db()
    assert (sam.user.is_superuser, sam.user.is_staff, sam.is_admin) == (False, False, False)
    assert (sam.user.first_name, sam.user.email) == ("Sam", "sam@staff.example.test")
    assert list(sam.memberships.values_list("department_id", "role_id")) == roles_before
    assert not Group.objects.exists()


def test_a_deactivated_agents_directory_session_ends(client, sam, ldap_on):
    assert sign_in(client, ldap_on.add_person(sam.user.email)).status_code == 302
    sam.user.is_active = False
    sam.user.save()
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_the_local_password_still_works_beside_the_directory(client, sam, ldap_on):
    response = client.post(LOGIN, {"username": "sam", "password": "correct horse battery"})
    assert response.status_code == 302 and signed_in_user_id(client) == str(sam.user.pk)


def test_a_directory_whose_certificate_is_not_trusted_is_not_asked(client, sam, ldap_on, settings):
    settings.AUTH_LDAP_CONNECTION_OPTIONS = ldap_connection_options(10, str(ldap_on.other_ca_file))
    response = sign_in(client, ldap_on.add_person(sam.user.email))
    assert response.status_code == 200 and signed_in_user_id(client) is None


def test_the_login_page_says_the_directory_password_works_only_when_configured(client, db, settings):
    assert b"directory password" not in client.get(LOGIN).content
    settings.HELPLINE_LDAP_ENABLED = True
    assert b"Your directory password works here too" in client.get(LOGIN).content

"""Single sign-on read from the environment: off by default, on with a complete configuration, refused at
start with a clear error when incomplete or not over HTTPS."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRINT = (
    "from django.conf import settings as s; "
    "print(s.HELPLINE_OIDC_ENABLED, s.AUTHENTICATION_BACKENDS[-1], s.SECURE_CSP['form-action'][-1])"
)
OIDC = {
    "HELPLINE_OIDC_ISSUER": "https://id.example.com",
    "HELPLINE_OIDC_CLIENT_ID": "helpline",
    "HELPLINE_OIDC_CLIENT_SECRET": "s3cret",
    "HELPLINE_OIDC_AUTHORIZATION_ENDPOINT": "https://id.example.com/authorize",
    "HELPLINE_OIDC_TOKEN_ENDPOINT": "https://id.example.com/token",
    "HELPLINE_OIDC_USERINFO_ENDPOINT": "https://id.example.com/userinfo",
    "HELPLINE_OIDC_JWKS_ENDPOINT": "https://id.example.com/jwks",
}


def load_settings(tmp_path, code: str = PRINT, **env: str) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh process with ``env`` set."""
    base = {name: value for name, value in os.environ.items() if not name.startswith(("HELPLINE_", "DEBUG"))}
    base |= {"DJANGO_SETTINGS_MODULE": "helpline.config.settings", "HELPLINE_DATA_DIR": str(tmp_path)}
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=base | {"SECRET_KEY": "x" * 60, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_single_sign_on_is_off_by_default(tmp_path):
    assert load_settings(tmp_path).stdout.split()[:2] == [
        "False",
        "django.contrib.auth.backends.ModelBackend",
    ]


def test_a_complete_configuration_turns_it_on_and_lets_the_button_reach_the_provider(tmp_path):
    result = load_settings(tmp_path, **OIDC)
    assert result.stdout.split() == [
        "True",
        "helpline.staff.sso.oidc.AgentOIDCBackend",
        "https://id.example.com",
    ]


def test_a_missing_endpoint_is_named_at_start(tmp_path):
    result = load_settings(tmp_path, **OIDC | {"HELPLINE_OIDC_JWKS_ENDPOINT": ""})
    assert result.returncode != 0
    assert "HELPLINE_OIDC_ISSUER is set, so these must be too: HELPLINE_OIDC_JWKS_ENDPOINT" in result.stderr


@pytest.mark.parametrize("allow_http,refused", [("", True), ("1", False)])
def test_plain_http_endpoints_are_refused_unless_allowed(tmp_path, allow_http, refused):
    env = OIDC | {"HELPLINE_OIDC_TOKEN_ENDPOINT": "http://id.example.com/token"}
    result = load_settings(tmp_path, **env, HELPLINE_OIDC_ALLOW_HTTP=allow_http)
    assert (result.returncode != 0) == refused
    if refused:
        assert "HELPLINE_OIDC_TOKEN_ENDPOINT must be an https:// address" in result.stderr


PRINT_LDAP = (
    "from django.conf import settings as s; "
    "print(s.HELPLINE_LDAP_ENABLED, s.AUTHENTICATION_BACKENDS[-1], s.AUTH_LDAP_USER_SEARCH.base_dn)"
)
LDAP = {
    "HELPLINE_LDAP_SERVER_URI": "ldaps://ldap.example.com",
    "HELPLINE_LDAP_BIND_DN": "cn=helpline,ou=services,dc=example,dc=com",
    "HELPLINE_LDAP_BIND_PASSWORD": "s3cret",
    "HELPLINE_LDAP_USER_SEARCH_BASE": "ou=people,dc=example,dc=com",
}


def test_ldap_is_off_by_default(tmp_path):
    assert (
        load_settings(
            tmp_path, code="from django.conf import settings as s; print(s.HELPLINE_LDAP_ENABLED)"
        ).stdout.strip()
        == "False"
    )


def test_a_complete_ldap_configuration_turns_it_on(tmp_path):
    result = load_settings(tmp_path, code=PRINT_LDAP, **LDAP)
    assert result.stdout.split() == [
        "True",
        "helpline.staff.sso.ldap.AgentLDAPBackend",
        "ou=people,dc=example,dc=com",
    ]


@pytest.mark.parametrize(
    "env,message",
    [
        (
            {"HELPLINE_LDAP_USER_SEARCH_BASE": ""},
            "HELPLINE_LDAP_USER_SEARCH_BASE or HELPLINE_LDAP_USER_DN_TEMPLATE",
        ),
        ({"HELPLINE_LDAP_SERVER_URI": "ldap://ldap.example.com"}, "must be ldaps://, or ldap:// with"),
        (
            {"HELPLINE_LDAP_MATCH_BY": "phone"},
            "HELPLINE_LDAP_MATCH_BY must be email or username, not 'phone'",
        ),
    ],
)
def test_an_incomplete_or_unsafe_ldap_configuration_is_refused_at_start(tmp_path, env, message):
    result = load_settings(tmp_path, code=PRINT_LDAP, **LDAP | env)
    assert result.returncode != 0 and message in result.stderr


def test_plain_ldap_is_accepted_with_starttls(tmp_path):
    env = LDAP | {"HELPLINE_LDAP_SERVER_URI": "ldap://ldap.example.com", "HELPLINE_LDAP_START_TLS": "1"}
    assert load_settings(tmp_path, code=PRINT_LDAP, **env).returncode == 0

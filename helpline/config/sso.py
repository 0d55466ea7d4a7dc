"""Checks of the single sign-on settings read from the environment (README, "Single sign-on")."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from helpline.config.env import env_bool, env_str

OIDC_BACKEND = "helpline.staff.sso.oidc.AgentOIDCBackend"
OIDC_REQUIRED = ("HELPLINE_OIDC_CLIENT_ID", "HELPLINE_OIDC_CLIENT_SECRET")
OIDC_ENDPOINTS = (
    "HELPLINE_OIDC_AUTHORIZATION_ENDPOINT",
    "HELPLINE_OIDC_TOKEN_ENDPOINT",
    "HELPLINE_OIDC_USERINFO_ENDPOINT",
    "HELPLINE_OIDC_JWKS_ENDPOINT",
)


def check_oidc_environment() -> None:
    """With HELPLINE_OIDC_ISSUER set, the client and every endpoint must be too, the endpoints over HTTPS
    (tokens and user details travel there) unless HELPLINE_OIDC_ALLOW_HTTP says it is a local test."""
    missing = [name for name in (*OIDC_REQUIRED, *OIDC_ENDPOINTS) if not env_str(name).strip()]
    if missing:
        raise ImproperlyConfigured(f"HELPLINE_OIDC_ISSUER is set, so these must be too: {', '.join(missing)}")
    if env_bool("HELPLINE_OIDC_ALLOW_HTTP", False):
        return
    for name in OIDC_ENDPOINTS:
        if urlsplit(env_str(name).strip()).scheme != "https":
            raise ImproperlyConfigured(
                f"{name} must be an https:// address (HELPLINE_OIDC_ALLOW_HTTP=1 for a local test only)"
            )


def origin(url: str) -> str:
    """``https://idp.example.com`` of ``https://idp.example.com/authorize?x=1``: what a CSP names."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


LDAP_BACKEND = "helpline.staff.sso.ldap.AgentLDAPBackend"
LDAP_MATCHES = ("email", "username")


def check_ldap_environment() -> None:
    """With HELPLINE_LDAP_SERVER_URI set: a way to find a person's entry (a DN template, or a search base),
    a known way to match agents, and no password over plain ``ldap://`` unless StartTLS protects it."""
    match_by = env_str("HELPLINE_LDAP_MATCH_BY", "email").strip().lower()
    if match_by not in LDAP_MATCHES:
        raise ImproperlyConfigured(f"HELPLINE_LDAP_MATCH_BY must be email or username, not {match_by!r}")
    if not (env_str("HELPLINE_LDAP_USER_DN_TEMPLATE") or env_str("HELPLINE_LDAP_USER_SEARCH_BASE")):
        raise ImproperlyConfigured(
            "HELPLINE_LDAP_SERVER_URI is set, so HELPLINE_LDAP_USER_SEARCH_BASE or HELPLINE_LDAP_USER_DN_TEMPLATE "
            "must be too"
        )
    uri = env_str("HELPLINE_LDAP_SERVER_URI").strip()
    plain = urlsplit(uri).scheme == "ldap" and not env_bool("HELPLINE_LDAP_START_TLS", False)
    if plain and not env_bool("HELPLINE_LDAP_ALLOW_PLAIN", False):
        raise ImproperlyConfigured(
            "HELPLINE_LDAP_SERVER_URI must be ldaps://, or ldap:// with HELPLINE_LDAP_START_TLS=1: passwords "
            "travel to it (HELPLINE_LDAP_ALLOW_PLAIN=1 for a local test only)"
        )


def ldap_user_search():
    """The search for a person's entry (None with a DN template): under HELPLINE_LDAP_USER_SEARCH_BASE,
    by HELPLINE_LDAP_USER_FILTER, where ``%(user)s`` is the name typed (escaped by django-auth-ldap)."""
    base = env_str("HELPLINE_LDAP_USER_SEARCH_BASE")
    if not base:
        return None
    import ldap
    from django_auth_ldap.config import LDAPSearch

    return LDAPSearch(base, ldap.SCOPE_SUBTREE, env_str("HELPLINE_LDAP_USER_FILTER", "(uid=%(user)s)"))


def ldap_connection_options(timeout: int, ca_file: str = "") -> dict:
    """python-ldap options of each connection: how long to wait for the directory, and the certificates
    always verified, against ``ca_file`` (a PEM file of authorities) instead of the system's when given."""
    import ldap

    options = {ldap.OPT_NETWORK_TIMEOUT: timeout, ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_DEMAND}
    if ca_file:
        options[ldap.OPT_X_TLS_CACERTFILE] = ca_file
    options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: applies the TLS options set before it
    return options

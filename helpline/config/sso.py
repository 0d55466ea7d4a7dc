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

"""The address a request came from, as far as it can be trusted."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind HELPLINE_PROXY_COUNT trusted proxies the address the outermost of them saw.

    Only the entries the trusted proxies appended to X-Forwarded-For are believed (counted from the right):
    anything further left was written by the client and could be anything.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "HELPLINE_PROXY_COUNT", 0)
    if not proxies:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]

"""The address a request came from, as far as it can be trusted."""

import ipaddress
import re

from django.conf import settings
from django.http import HttpRequest

# What a proxy may write besides a bare address: "[2001:db8::1]:443" (or without the port) and
# "192.0.2.1:5678" (a colon in a bare IPv6 address is no port, so only IPv4 takes one unbracketed).
_BRACKETED = re.compile(r"\[([^\[\]]+)\](?::[0-9]{1,5})?")
_IPV4_PORT = re.compile(r"([0-9.]+):[0-9]{1,5}")


def _address(value: str | None) -> str | None:
    """``value`` as an address in its normal form, or None when it holds none. A zone (``fe80::1%eth0``)
    is dropped: no column of addresses stores one, and the address itself is still the peer's."""
    value = (value or "").strip()
    kind: type | tuple[type, ...] = (ipaddress.IPv4Address, ipaddress.IPv6Address)
    if match := _BRACKETED.fullmatch(value):
        value, kind = match[1], ipaddress.IPv6Address
    elif match := _IPV4_PORT.fullmatch(value):
        value, kind = match[1], ipaddress.IPv4Address
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if not isinstance(address, kind):
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        address = ipaddress.IPv6Address(address.packed)
    return str(address)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind HELPLINE_PROXY_COUNT trusted proxies the address the outermost of them saw;
    None when that is not an address. What the caller gets is always a plain IPv4 or IPv6 address in its
    normal form (``ipaddress``), fit for an address column and for a network check.

    Only the entries the trusted proxies appended to X-Forwarded-For are believed (counted from the right):
    anything further left was written by the client and could be anything. A proxy's port is dropped
    (``192.0.2.1:5678``, ``[2001:db8::1]:443``). With fewer entries than proxies the request did not come
    through them all, and REMOTE_ADDR is taken. But a trusted entry that is no address (``unknown``, which
    proxies write when they do not know) gives None, not REMOTE_ADDR: that is a proxy's own address, and a
    key limited to the proxy's network must not be usable from somewhere no one can name.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "HELPLINE_PROXY_COUNT", 0)
    if not proxies:
        return _address(remote)
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < proxies:
        return _address(remote)
    return _address(forwarded[-proxies])

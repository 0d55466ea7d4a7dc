"""Where a webhook may connect: only to public addresses, unless an administrator allowed a range.

A hook's URL is typed by an administrator but resolved by the server, inside the network it runs in; without
this guard a hook could reach the metadata service of a cloud host, the database, or an admin page on
localhost. The host is resolved once, every address it resolves to is checked, and the connection goes to
the checked address (``transport``), so a second lookup cannot answer differently (DNS rebinding).
"""

import ipaddress
import socket

from django.conf import settings

type Address = ipaddress.IPv4Address | ipaddress.IPv6Address
type Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Refused(Exception):
    """The URL's host resolves to an address a webhook may not reach, or does not resolve."""


def allowed_networks() -> list[Network]:
    """HELPLINE_WEBHOOK_ALLOWED_NETWORKS: the ranges an administrator opened (checked at start-up)."""
    return [ipaddress.ip_network(item, strict=False) for item in settings.HELPLINE_WEBHOOK_ALLOWED_NETWORKS]


def _unwrapped(address: Address) -> Address:
    """The IPv4 address inside an IPv4-mapped, 6to4 or Teredo IPv6 address, which reach it."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo and address.teredo[1])
        if embedded:
            return embedded
    return address


def is_public(address: Address) -> bool:
    address = _unwrapped(address)
    special = (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
    )
    return address.is_global and not special


def check(address: Address) -> None:
    """Raise Refused unless the address is public or in an allowed range."""
    plain = _unwrapped(address)
    if is_public(plain) or any(plain in network for network in allowed_networks()):
        return
    raise Refused(
        f"{address} is a private, loopback, link-local or otherwise internal address; webhooks may not "
        "connect to it (HELPLINE_WEBHOOK_ALLOWED_NETWORKS opens a range)."
    )


def resolve(host: str, port: int) -> list[str]:
    """The addresses to connect to, in the resolver's order, once every one of them passed ``check`` (a
    name that also resolves to an internal address is refused whole). The sender tries them in turn, as a
    browser does: a name with an IPv6 and an IPv4 address still reaches a server without an IPv6 route."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused(f"{host} does not resolve: {error}") from error
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    if not addresses:
        raise Refused(f"{host} does not resolve")
    for address in addresses:
        check(address)
    return list(dict.fromkeys(str(address) for address in addresses))

"""The address guard: which addresses a webhook may reach, and the ranges an administrator opens."""

import ipaddress

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from helpline.webhooks.addresses import Refused, check, is_public


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.0.1",
        "127.0.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - an address refused, not one bound to
        "224.0.0.251",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fec0::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
    ],
)
def test_internal_addresses_are_not_public(address):
    assert not is_public(ipaddress.ip_address(address))
    with pytest.raises(Refused):
        check(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700:4700::1111", "::ffff:93.184.215.14"])
def test_public_addresses_are(address):
    assert is_public(ipaddress.ip_address(address))
    check(ipaddress.ip_address(address))


def test_an_allowed_range_opens_its_addresses_and_no_others(settings):
    settings.HELPLINE_WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16", "fd00:1::/64"]
    for address in ("10.20.3.4", "::ffff:10.20.3.4", "fd00:1::5"):
        check(ipaddress.ip_address(address))
    for address in ("10.21.0.1", "127.0.0.1", "fd00:2::5"):
        with pytest.raises(Refused):
            check(ipaddress.ip_address(address))


def test_a_range_that_is_not_a_network_stops_the_start(settings, db):
    settings.HELPLINE_WEBHOOK_ALLOWED_NETWORKS = ["10.0.0.0/33"]
    with pytest.raises(SystemCheckError, match="HELPLINE_WEBHOOK_ALLOWED_NETWORKS"):
        call_command("check")

from django.test import RequestFactory

from helpline.core.client_ip import client_ip

factory = RequestFactory()


def test_without_proxies_the_socket_address_counts_and_the_header_is_ignored(settings):
    settings.HELPLINE_PROXY_COUNT = 0
    request = factory.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    settings.HELPLINE_PROXY_COUNT = 1
    # The client forged "1.2.3.4"; the proxy appended the address it really saw.
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20")
    assert client_ip(request) == "198.51.100.20"


def test_behind_two_proxies_the_outer_ones_entry_counts(settings):
    settings.HELPLINE_PROXY_COUNT = 2
    request = factory.get(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20, 10.0.0.2"
    )
    assert client_ip(request) == "198.51.100.20"


def test_a_missing_header_falls_back_to_the_socket_address(settings):
    settings.HELPLINE_PROXY_COUNT = 1
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"

"""Repeated wrong passwords pause sign-in for that username from that address (django-axes)."""

from django.urls import reverse

PASSWORD = "correct horse battery"
LOGIN = reverse("staff:login")


def fail(client, username="sam", address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": "wrong horse"}, REMOTE_ADDR=address)


def test_the_limit_locks_the_pair_even_for_the_right_password(client, sam, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert fail(client).status_code == 200
    locked = fail(client)
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content
    right = client.post(LOGIN, {"username": "sam", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lock_on_one_address_does_not_lock_the_agent_out_elsewhere(client, sam, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client)
    elsewhere = client.post(LOGIN, {"username": "sam", "password": PASSWORD}, REMOTE_ADDR="198.51.100.2")
    assert elsewhere.status_code == 302


def test_a_successful_sign_in_resets_the_failures(client, sam, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        fail(client)
    ok = client.post(LOGIN, {"username": "sam", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    assert ok.status_code == 302
    client.post(reverse("staff:logout"))
    assert fail(client).status_code == 200  # the count started again

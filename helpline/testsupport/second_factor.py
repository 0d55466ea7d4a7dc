"""Tests sign agents in as the desk does, with a second factor where one is owed, without typing codes.

While a test runs, every sign-in (``Client.force_login``, the staff form in a browser test, the Django
admin's form) that the desk would send to the code step or to the set-up is completed with a confirmed
authenticator-app device made for the purpose (``TEST_DEVICE_NAME``), as if the agent had typed its code.
So administrators, who must always have a second factor, sign in in tests as before. Tests of the second
factor itself are marked ``real_second_factor`` and see sign-in as it is: a device of their own asks for
its code, a missing one sends the agent to the set-up.

Likewise a session's idle and absolute lifetimes do not end sessions in tests that travel in time with a
signed-in client, unless they are marked ``real_session_lifetimes`` (the tests of the lifetimes).
"""

import pytest
from django.contrib.auth.signals import user_logged_in
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpline.security import second_factor, sessions

TEST_DEVICE_NAME = "Test support device"


def verified_device(user) -> TOTPDevice:
    """The user's test device, confirmed (made on first use)."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name=TEST_DEVICE_NAME, defaults={"confirmed": True}
    )
    return device


def _complete_second_step(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if request.session.get(second_factor.STATE_KEY) in (second_factor.CODE, second_factor.SETUP):
        request.user = user
        second_factor.mark_verified(request, verified_device(user))


def sign_in_verified(client: Client, user) -> Client:
    """``force_login`` with the second factor passed, for code outside pytest (the benchmarks)."""
    user_logged_in.connect(_complete_second_step, dispatch_uid="helpline_test_second_factor")
    try:
        client.force_login(user)
    finally:
        user_logged_in.disconnect(dispatch_uid="helpline_test_second_factor")
    return client


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "real_second_factor: sign-ins in this test owe their real second factor (no test device)"
    )
    config.addinivalue_line(
        "markers", "real_session_lifetimes: the idle and absolute session lifetimes end sessions in this test"
    )


@pytest.fixture(autouse=True)
def _session_lifetimes_for_tests(request, monkeypatch):
    if not request.node.get_closest_marker("real_session_lifetimes"):
        monkeypatch.setattr(sessions, "expired", lambda request, now: None)


@pytest.fixture(autouse=True)
def _second_factor_for_tests(request):
    if request.node.get_closest_marker("real_second_factor"):
        yield
        return
    user_logged_in.connect(_complete_second_step, dispatch_uid="helpline_test_second_factor")
    yield
    user_logged_in.disconnect(dispatch_uid="helpline_test_second_factor")

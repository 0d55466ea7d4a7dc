"""The test support's stand-in for the second factor: without the ``real_second_factor`` mark, a sign-in that
owes a second factor (an administrator's, always) passes it, so tests sign administrators in as before; and
without ``real_session_lifetimes`` the session lifetimes end no session."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_force_login_gives_an_administrator_a_verified_session(ada):
    client = Client()
    client.force_login(ada.user)
    assert client.get("/staff/admin/").status_code == 200


def test_the_sign_in_form_gives_an_administrator_a_verified_session(ada):
    client = Client()
    client.post("/staff/login/", {"username": "ada", "password": "correct horse battery"})
    assert client.get("/staff/admin/").status_code == 200


def test_tests_that_travel_in_time_stay_signed_in(sam):
    client = Client()
    client.force_login(sam.user)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert client.get("/staff/").status_code == 200

"""The test support's stand-in for the second factor: without the ``real_second_factor`` mark, a sign-in that
owes a second factor (an administrator's, always) passes it, so tests sign administrators in as before."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_force_login_gives_an_administrator_a_verified_session(ada):
    client = Client()
    client.force_login(ada.user)
    assert client.get("/staff/admin/").status_code == 200


def test_the_sign_in_form_gives_an_administrator_a_verified_session(ada):
    client = Client()
    client.post("/staff/login/", {"username": "ada", "password": "correct horse battery"})
    assert client.get("/staff/admin/").status_code == 200

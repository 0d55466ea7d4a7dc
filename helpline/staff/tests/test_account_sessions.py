"""An agent's sessions through HTTP: the list (device, address, sign-in, last seen), signing one out,
signing out everywhere, the idle and absolute lifetimes, and a new session key at sign-in."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpline.security.models import AgentSession, SignInPolicy

pytestmark = [pytest.mark.django_db, pytest.mark.real_session_lifetimes]
PASSWORD = "correct horse battery"
ACCOUNT = reverse("staff:account_security")


def browser(user_agent: str, address: str) -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)


def sign_in(client: Client, username: str = "sam") -> Client:
    assert (
        client.post(reverse("staff:login"), {"username": username, "password": PASSWORD}).status_code == 302
    )
    return client


def test_the_page_lists_each_signed_in_session(sam):
    laptop = sign_in(browser("Firefox on the laptop", "198.51.100.4"))
    sign_in(browser("Safari on the phone", "203.0.113.9"))
    page = laptop.get(ACCOUNT)
    assert page.status_code == 200
    for text in (
        b"Firefox on the laptop",
        b"198.51.100.4",
        b"Safari on the phone",
        b"203.0.113.9",
        b"this one",
    ):
        assert text in page.content
    assert len(page.context["sessions"]) == 2


def test_the_list_costs_the_same_queries_whatever_the_sessions(sam, django_assert_max_num_queries):
    laptop = sign_in(browser("Firefox", "198.51.100.4"))
    for n in range(15):
        sign_in(browser(f"Browser {n}", "203.0.113.9"))
    with django_assert_max_num_queries(12):
        assert laptop.get(ACCOUNT).status_code == 200


def test_signing_in_gives_a_new_session_key(sam):
    client = sign_in(Client())
    first = client.session.session_key
    sign_in(client)  # again, in the same browser
    second = client.session.session_key
    assert second != first
    assert not client.session.exists(first)
    assert AgentSession.objects.get().session_key == second


def test_signing_one_session_out(sam):
    laptop = sign_in(browser("Firefox", "198.51.100.4"))
    phone = sign_in(browser("Safari", "203.0.113.9"))
    phone_row = AgentSession.objects.get(user_agent="Safari")
    assert laptop.post(reverse("staff:session_end", args=[phone_row.pk])).status_code == 302
    assert phone.get("/staff/")["Location"].startswith(reverse("staff:login"))
    assert laptop.get("/staff/").status_code == 200


def test_one_cannot_end_another_agents_session(sam, ivan):
    mine = sign_in(browser("Firefox", "198.51.100.4"))
    theirs = sign_in(browser("Edge", "203.0.113.9"), "ivan")
    row = AgentSession.objects.get(user=ivan.user)
    mine.post(reverse("staff:session_end", args=[row.pk]))
    assert theirs.get("/staff/").status_code == 200


def test_signing_out_everywhere(sam):
    laptop = sign_in(browser("Firefox", "198.51.100.4"))
    phone = sign_in(browser("Safari", "203.0.113.9"))
    assert laptop.post(reverse("staff:sign_out_everywhere"))["Location"] == reverse("staff:login")
    for client in (laptop, phone):
        assert client.get("/staff/")["Location"].startswith(reverse("staff:login"))
    assert not AgentSession.objects.exists()


def test_an_idle_session_ends(sam):
    SignInPolicy.current()
    SignInPolicy.objects.update(idle_minutes=30)
    client = sign_in(Client())
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert client.get("/staff/").status_code == 200  # activity keeps it
    with time_machine.travel(timezone.now() + timedelta(minutes=45)):
        assert client.get("/staff/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=45 + 32)):
        assert client.get("/staff/")["Location"].startswith(reverse("staff:login"))


def test_a_busy_session_ends_at_its_absolute_lifetime(sam):
    SignInPolicy.current()
    SignInPolicy.objects.update(idle_minutes=30, absolute_hours=2)
    client = sign_in(Client())
    start = timezone.now()
    for minutes in range(20, 120, 20):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get("/staff/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=121)):
        assert client.get("/staff/")["Location"].startswith(reverse("staff:login"))


def test_a_shorter_lifetime_reaches_sessions_already_signed_in(sam):
    client = sign_in(Client())
    SignInPolicy.objects.update(absolute_hours=1)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert client.get("/staff/").status_code == 200  # reads the new lifetime
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        assert client.get("/staff/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=62)):
        assert client.get("/staff/")["Location"].startswith(reverse("staff:login"))


def test_last_seen_is_written_at_most_once_a_minute(sam, django_assert_num_queries):
    client = sign_in(Client())
    row = AgentSession.objects.get()
    client.get("/staff/")
    row.refresh_from_db()
    assert row.last_seen_at == row.signed_in_at
    later = timezone.now() + timedelta(minutes=3)
    with time_machine.travel(later):
        client.get("/staff/")
    row.refresh_from_db()
    assert row.last_seen_at > row.signed_in_at + timedelta(minutes=2)

"""Resetting a forgotten password by email from the staff sign-in page, and the breached-password check on
the new password (against a local listener that answers as the Pwned Passwords range API does)."""

import hashlib
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpline.mail.models import OutboundEmail

pytestmark = pytest.mark.django_db
BREACHED = "correct horse battery staple 42"
FRESH = "violet tractor humming quietly 7"


def reset_link(client, email: str) -> str:
    response = client.post(reverse("staff:password_reset"), {"email": email})
    assert response.status_code == 302
    mail = OutboundEmail.objects.filter(to=[email], reason="password_reset").latest("pk")
    match = re.search(r"http://\S+/staff/login/reset/\S+/", mail.body_text)
    assert match, mail.body_text
    return urlsplit(match.group(0)).path


def test_the_sign_in_page_offers_the_reset(client):
    page = client.get(reverse("staff:login"))
    assert reverse("staff:password_reset").encode() in page.content
    assert b"Forgot your password?" in page.content


def test_the_answer_does_not_tell_whether_the_address_exists(client, sam):
    known = client.post(reverse("staff:password_reset"), {"email": "sam@staff.example.test"}, follow=True)
    unknown = client.post(reverse("staff:password_reset"), {"email": "nobody@example.test"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [["sam@staff.example.test"]]


def test_an_account_gets_a_few_links_an_hour_and_the_page_says_the_same(client, sam):
    pages = [
        client.post(reverse("staff:password_reset"), {"email": "sam@staff.example.test"}, follow=True)
        for _ in range(5)
    ]
    assert OutboundEmail.objects.count() == 3
    assert len({page.content for page in pages}) == 1


def test_requesters_and_inactive_agents_get_no_link(client, sam, rita):
    sam.user.is_active = False
    sam.user.save()
    client.post(reverse("staff:password_reset"), {"email": "sam@staff.example.test"})
    client.post(reverse("staff:password_reset"), {"email": "rita@example.test"})
    assert not OutboundEmail.objects.exists()


def test_the_link_sets_a_new_password_once(client, sam):
    elsewhere = Client()
    elsewhere.force_login(sam.user)
    link = reset_link(client, "sam@staff.example.test")
    form = client.get(link, follow=True)
    assert b"Choose a new password" in form.content
    done = client.post(form.redirect_chain[-1][0], {"new_password1": FRESH, "new_password2": FRESH})
    assert done.status_code == 302
    sam.user.refresh_from_db()
    assert sam.user.check_password(FRESH)
    again = client.get(link, follow=True)
    assert b"This link does not work" in again.content
    assert elsewhere.get("/staff/")["Location"].startswith(reverse("staff:login"))  # signed out there


def test_the_link_expires(client, sam, settings):
    link = reset_link(client, "sam@staff.example.test")
    with time_machine.travel(
        timezone.now() + timezone.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    ):
        page = client.get(link, follow=True)
    assert b"This link does not work" in page.content


def test_a_common_password_is_refused_without_the_breach_service(client, sam):
    link = reset_link(client, "sam@staff.example.test")
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    refused = client.post(form_url, {"new_password1": "password123", "new_password2": "password123"})
    assert refused.status_code == 200
    assert b"too common" in refused.content


class RangeHandler(BaseHTTPRequestHandler):
    """Answers /range/<5 hex digits> with "SUFFIX:COUNT" lines, as the Pwned Passwords API does."""

    breached: dict[str, int] = {}
    asked: list[str] = []

    def do_GET(self):
        prefix = self.path.rsplit("/", 1)[-1].upper()
        self.asked.append(prefix)
        lines = [f"{h[5:]}:{n}" for h, n in self.breached.items() if h.startswith(prefix)]
        lines.append("0" * 35 + ":0")  # padding, as the real service adds
        body = "\r\n".join(lines).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def range_server(settings):
    digest = hashlib.sha1(BREACHED.encode(), usedforsecurity=False).hexdigest().upper()
    RangeHandler.breached = {digest: 1234}
    RangeHandler.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), RangeHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HELPLINE_PWNED_PASSWORDS_URL = f"http://127.0.0.1:{server.server_address[1]}/range/"
    yield RangeHandler
    server.shutdown()
    server.server_close()


def set_password(client, new: str):
    link = reset_link(client, "sam@staff.example.test")
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    return client.post(form_url, {"new_password1": new, "new_password2": new})


def test_a_breached_password_is_refused(client, sam, range_server):
    refused = set_password(client, BREACHED)
    assert refused.status_code == 200
    assert b"appeared in data breaches 1234 times" in refused.content
    # Only the first five hex digits of the hash were sent.
    digest = hashlib.sha1(BREACHED.encode(), usedforsecurity=False).hexdigest().upper()
    assert range_server.asked == [digest[:5]]


def test_a_password_not_in_the_breaches_is_accepted(client, sam, range_server):
    assert set_password(client, FRESH).status_code == 302
    assert len(range_server.asked) == 1


def test_an_unreachable_service_falls_back_to_the_common_list(client, sam, settings):
    settings.HELPLINE_PWNED_PASSWORDS_URL = "http://127.0.0.1:9/range/"  # the discard port: refused
    refused = set_password(client, "password123")
    assert refused.status_code == 200
    assert b"too common" in refused.content
    assert set_password(client, FRESH).status_code == 302

"""Two-factor sign-in through HTTP: enrolling an authenticator app, the code step after the password,
recovery codes, turning it off, who is required to have one, and django-axes on the code step.

Marked ``real_second_factor``: these sign-ins owe their real second factor (see testsupport.second_factor).
"""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpline.audit.models import AuditEntry
from helpline.people.models import Role
from helpline.security.models import SignInPolicy

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]
PASSWORD = "correct horse battery"
LOGIN = reverse("staff:login")
VERIFY = reverse("staff:two_factor_verify")
SETUP = reverse("staff:two_factor_setup")


def code_for(device: TOTPDevice, ahead: int = 0) -> str:
    """The app's code now (``ahead`` steps later: a code is accepted once, and the next step's is too)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
    return f"{totp.token():0{device.digits}d}"


def enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    client.post(reverse("staff:two_factor_start"))
    device = TOTPDevice.objects.get(confirmed=False)
    page = client.post(reverse("staff:two_factor_confirm"), {"code": code_for(device)})
    assert page.status_code == 200, page.content
    return device, page.context["codes"]


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture(autouse=True)
def _no_pause_after_a_wrong_code(settings):
    """django-otp makes a device wait after a wrong code (1 s, doubling): a person takes longer than that
    to type the next one, a test does not. Throttling is shown by django-axes' test below."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def sam_with_app(sam):
    client = Client()
    client.force_login(sam.user)
    device, codes = enrol(client)
    return device, codes


def test_an_administrator_without_a_second_factor_sets_one_up_before_anything_else(ada):
    client = sign_in("ada")
    for url in ("/staff/", "/staff/queues/open/", "/staff/admin/", reverse("staff:preferences")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP), url
    assert b"must sign in with a second factor" in client.get(SETUP).content


def test_an_agent_not_required_to_have_one_signs_in_with_the_password_alone(sam):
    client = sign_in("sam")
    assert client.get("/staff/").status_code == 200


def test_the_policy_requires_it_of_everyone(sam):
    SignInPolicy.current()
    SignInPolicy.objects.update(require_everyone=True)
    assert sign_in("sam").get("/staff/")["Location"].startswith(SETUP)


def test_the_policy_requires_it_of_a_role(sam, lena):
    SignInPolicy.current().required_roles.set([Role.objects.get(name="Limited")])
    assert sign_in("lena").get("/staff/")["Location"].startswith(SETUP)
    assert sign_in("sam").get("/staff/").status_code == 200


def test_enrolling_shows_the_qr_code_and_the_secret_and_confirms_with_a_code(sam):
    client = sign_in("sam")
    assert client.post(reverse("staff:two_factor_start"))["Location"].startswith(SETUP)
    page = client.get(SETUP)
    device = TOTPDevice.objects.get(user=sam.user, confirmed=False)
    assert b'src="data:image/svg+xml' in page.content
    assert page.context["secret"].replace(" ", "").encode() in page.content.replace(b" ", b"")
    wrong = client.post(reverse("staff:two_factor_confirm"), {"code": "000000"})
    assert wrong.status_code == 400
    key_before = client.session.session_key
    done = client.post(reverse("staff:two_factor_confirm"), {"code": code_for(device)})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    for code in done.context["codes"]:
        assert code.encode() in done.content
    device.refresh_from_db()
    assert device.confirmed
    assert client.session.session_key != key_before  # rotated on enabling
    assert AuditEntry.objects.filter(action="second_factor.enabled", target_id=str(sam.pk)).exists()
    assert client.get("/staff/").status_code == 200


def test_signing_in_asks_for_the_code_after_the_password(sam, sam_with_app):
    device, _ = sam_with_app
    client = sign_in("sam")
    assert client.get("/staff/queues/open/")["Location"].startswith(VERIFY)
    step = client.get(VERIFY)
    assert b'aria-label="Queues"' not in step.content  # nothing of the desk before the code
    assert client.post(VERIFY, {"code": "123456"}).status_code == 400
    assert client.get("/staff/")["Location"].startswith(VERIFY)
    key_before = client.session.session_key
    passed = client.post(VERIFY, {"code": code_for(device, ahead=1), "next": "/staff/queues/open/"})
    assert passed["Location"] == "/staff/queues/open/"
    assert client.session.session_key != key_before
    assert client.get("/staff/").status_code == 200


def test_a_session_that_owes_its_code_cannot_set_up_another_factor(sam, sam_with_app):
    client = sign_in("sam")
    assert client.post(reverse("staff:two_factor_start"))["Location"].startswith(VERIFY)
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=sam.user).count() == 1


def test_a_recovery_code_works_once(sam, sam_with_app):
    _, codes = sam_with_app
    first = sign_in("sam")
    assert first.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert first.get("/staff/").status_code == 200
    assert AuditEntry.objects.filter(action="second_factor.recovery_code_used").get().data == {
        "codes_left": 9
    }
    second = sign_in("sam")
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert second.get("/staff/")["Location"].startswith(VERIFY)


def test_new_recovery_codes_replace_the_old_ones(sam, sam_with_app):
    _, old = sam_with_app
    client = Client()
    client.force_login(sam.user)
    client.post(VERIFY, {"code": old[1]})
    new = client.post(reverse("staff:recovery_codes_renew")).context["codes"]
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert sign_in("sam").post(VERIFY, {"code": old[2]}).status_code == 400
    assert AuditEntry.objects.filter(action="second_factor.recovery_codes_renewed").exists()


def test_turning_it_off_asks_for_a_code(sam, sam_with_app):
    device, codes = sam_with_app
    other = sign_in("sam")
    other.post(VERIFY, {"code": codes[1]})
    client = sign_in("sam")
    client.post(VERIFY, {"code": code_for(device, ahead=1)})
    assert client.post(reverse("staff:two_factor_disable"), {"code": "999999"}).status_code == 400
    assert TOTPDevice.objects.filter(user=sam.user).exists()
    off = client.post(reverse("staff:two_factor_disable"), {"code": codes[0]})
    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=sam.user).exists()
    assert not StaticToken.objects.exists()
    assert AuditEntry.objects.filter(action="second_factor.disabled").exists()
    assert client.get("/staff/").status_code == 200
    assert other.get("/staff/")["Location"].startswith(LOGIN)  # the session verified with it is signed out
    assert sign_in("sam").get("/staff/").status_code == 200


def test_an_administrator_cannot_turn_it_off(ada):
    client = sign_in("ada")
    device, _ = enrol(client)
    client.post(reverse("staff:two_factor_disable"), {"code": code_for(device, ahead=1)})
    assert TOTPDevice.objects.filter(user=ada.user, confirmed=True).exists()


def test_django_axes_throttles_the_code_step(sam, sam_with_app, settings):
    device, _ = sam_with_app
    client = sign_in("sam")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 400
    assert client.post(VERIFY, {"code": "000000"}).status_code == 429
    assert client.post(VERIFY, {"code": code_for(device, ahead=1)}).status_code == 429
    assert client.get("/staff/")["Location"].startswith(VERIFY)


def test_the_django_admin_is_behind_the_second_factor_too(db):
    from django.contrib.auth.models import User

    User.objects.create_superuser("root", "root@example.test", PASSWORD)
    client = Client()
    assert client.post("/admin/login/", {"username": "root", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/")["Location"].startswith(SETUP)

"""The second sign-in factor: who must have one, enrolling an authenticator app (TOTP), recovery codes
(django-otp's static device: single-use codes), the step after the password, and turning it off.

Where a session stands is kept in the session itself (``STATE_KEY``), decided once at sign-in, so checking
it on each request costs no query: "none" (no second factor asked), "code" (the password is right, the
code is still owed), "setup" (a second factor is required and the agent has none yet), "verified".
"""

from base64 import b32encode

import django_otp
import segno
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpline.audit.log import record
from helpline.people.models import Agent, Membership
from helpline.security.models import SignInPolicy
from helpline.security.sessions import end_all_sessions, rotate_session

STATE_KEY = "helpline_second_factor"
NONE, CODE, SETUP, VERIFIED = "none", "code", "setup", "verified"
RECOVERY_CODES = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def must_have_second_factor(agent: Agent | None) -> bool:
    """Administrators always; other agents when the policy requires it of everyone or of a role they hold."""
    if agent is None or not agent.is_active:
        return False
    if agent.is_administrator:
        return True
    policy = SignInPolicy.current()
    if policy.require_everyone:
        return True
    return Membership.objects.filter(agent=agent, role__in=policy.required_roles.all()).exists()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def state_at_sign_in(user: User) -> str:
    if has_second_factor(user):
        return CODE
    return SETUP if must_have_second_factor(getattr(user, "agent", None)) else NONE


def owes_second_factor(request: HttpRequest) -> bool:
    """The session has passed its password but still owes its code, or a second factor to set up."""
    return request.session.get(STATE_KEY) in (CODE, SETUP)


def mark_verified(request: HttpRequest, device: Device) -> None:
    """The session passed its second factor with ``device`` (django-otp keeps the device's id in it)."""
    django_otp.login(request, device)
    request.session[STATE_KEY] = VERIFIED


def audit(actor: Agent, action: str, subject: Agent, **data) -> None:
    record(
        actor=actor,
        action=action,
        target_type="agent",
        target_id=subject.pk,
        target_repr=subject.display_name,
        data=data,
    )


# --- Enrolling -------------------------------------------------------------------------------------------


def start_enrolment(user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator-app device with a fresh secret (replacing an earlier unfinished one)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def pending_enrolment(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def secret_text(device: TOTPDevice) -> str:
    """The secret as an app asks for it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as a QR code, an SVG data URI (the CSP allows data: images, not inline SVG styles)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ``RECOVERY_CODES`` new single-use ones, returned to be shown once."""
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_enrolment(request: HttpRequest, agent: Agent, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending device with a code from the app. On success the session is verified and gets a
    new key, and the new recovery codes are returned; None when the code is wrong."""
    if not device.verify_token(_digits(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=agent.user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(agent.user)
        audit(agent, "second_factor.enabled", agent)
    rotate_session(request)
    mark_verified(request, device)
    return codes


def regenerate_recovery_codes(agent: Agent) -> list[str]:
    with transaction.atomic():
        codes = new_recovery_codes(agent.user)
        audit(agent, "second_factor.recovery_codes_renewed", agent)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# --- Checking a code -------------------------------------------------------------------------------------


def _digits(code: str) -> str:
    return "".join(code.split())


def check_code(agent: Agent, code: str) -> Device | None:
    """The device that accepts ``code`` (an app's code, or a recovery code, which is then used up), or None.
    Each device's verification locks its row and counts its own failures (django-otp's throttling)."""
    code = _digits(code).lower()
    if not code:
        return None
    user = agent.user
    # Six digits are an app's code, anything else a recovery code: each kind is tried only on its own
    # devices, so a recovery code does not count as a failure against the app's throttle.
    model: type[TOTPDevice] | type[StaticDevice] = (
        TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    )
    for device in model.objects.filter(user=user, confirmed=True):
        matched = django_otp.verify_token(user, device.persistent_id, code)
        if matched is None:
            continue
        if isinstance(matched, StaticDevice):
            audit(agent, "second_factor.recovery_code_used", agent, codes_left=recovery_codes_left(user))
        return matched
    return None


def complete_sign_in(request: HttpRequest, device: Device) -> None:
    """The code step passed: a new session key for the verified session."""
    rotate_session(request)
    mark_verified(request, device)


def disable(request: HttpRequest, agent: Agent) -> None:
    """Remove the agent's second factor (the caller has checked a code) and sign their other sessions out,
    which were verified with it. If it is required, this session is sent to set a new one up."""
    remove_devices(agent.user)
    end_all_sessions(agent.user, keep=request.session.session_key)
    audit(agent, "second_factor.disabled", agent)
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    request.session[STATE_KEY] = SETUP if must_have_second_factor(agent) else NONE


def remove_devices(user: User) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()

"""What every sign-in does, whichever way it came (the staff form, the Django admin's form, single sign-on,
or a test's ``force_login``): decide whether the session owes a second factor, and record the session.
Django's own sign-in signals are the one place all of them pass."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from helpline.security import second_factor, sessions


@receiver(user_logged_in, dispatch_uid="helpline_security_sign_in")
def on_sign_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    # Django keeps the key when the session was signed in as the same user already: every sign-in here
    # gets a new one, so a key known before signing in is worth nothing after.
    request.session.cycle_key()
    request.session[second_factor.STATE_KEY] = second_factor.state_at_sign_in(user)
    sessions.record_sign_in(request, user)


@receiver(user_logged_out, dispatch_uid="helpline_security_sign_out")
def on_sign_out(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.forget(request.session.session_key)

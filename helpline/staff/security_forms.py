"""The forms of an agent's sign-in security: a one-time code, and the password-reset request."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string

from helpline.core.throttle import take
from helpline.mail.outbox import queue_email

RESET_SCOPE = "password_reset_email"
RESET_EMAILS_PER_HOUR = 3


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The six digits your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class AppCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=10,
        help_text="The six digits the app shows for Helpline.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset request, for active agents only, its email written to the outbox like every other.
    The page that follows says the same whether or not the address belongs to anyone."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(
            email__iexact=email, is_active=True, agent__isnull=False
        )
        return (user for user in users if user.has_usable_password())

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        # At most a few links an hour per account, so the form cannot fill an agent's inbox; the page
        # answers the same either way.
        if take(RESET_SCOPE, str(context["user"].pk), limit=RESET_EMAILS_PER_HOUR, period=timedelta(hours=1)):
            return
        context = context | {"site_url": settings.SITE_URL}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        queue_email(to=[to_email], subject=subject, body_text=body, reason="password_reset")

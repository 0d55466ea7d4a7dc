"""The forms of an agent's sign-in security: a one-time code, and the password-reset request."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string

from helpline.mail.outbox import queue_email


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
        context = context | {"site_url": settings.SITE_URL}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        queue_email(to=[to_email], subject=subject, body_text=body, reason="password_reset")

"""Signing agents in and out."""

from django.conf import settings
from django.contrib.auth.views import LoginView, LogoutView

from helpline.staff.forms import StaffAuthenticationForm


class StaffLoginView(LoginView):
    """The staff sign-in: only users with an active agent profile get through (see the form)."""

    template_name = "staff/login.html"
    authentication_form = StaffAuthenticationForm

    def get_context_data(self, **kwargs):
        # Read per request, not at import, so the page follows the settings in force.
        return super().get_context_data(
            oidc_enabled=settings.HELPLINE_OIDC_ENABLED,
            oidc_provider_name=settings.HELPLINE_OIDC_PROVIDER_NAME,
            ldap_enabled=settings.HELPLINE_LDAP_ENABLED,
            **kwargs,
        )


class StaffLogoutView(LogoutView):
    """Sign out (POST only, as Django's LogoutView is) and return to the login page."""

    next_page = "staff:login"

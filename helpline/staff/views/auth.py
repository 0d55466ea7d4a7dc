"""Signing agents in and out."""

from django.contrib.auth.views import LoginView, LogoutView

from helpline.staff.forms import StaffAuthenticationForm


class StaffLoginView(LoginView):
    """The staff sign-in: only users with an active agent profile get through (see the form)."""

    template_name = "staff/login.html"
    authentication_form = StaffAuthenticationForm


class StaffLogoutView(LogoutView):
    """Sign out (POST only, as Django's LogoutView is) and return to the login page."""

    next_page = "staff:login"

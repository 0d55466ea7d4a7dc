"""Resetting a forgotten password by email, with Django's views: the link expires after
``PASSWORD_RESET_TIMEOUT`` and works once (its token depends on the password it replaces). The request's
answer is the same whether or not the address belongs to an agent."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from helpline.staff.security_forms import StaffPasswordResetForm


class StaffPasswordResetView(auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    template_name = "staff/password_reset/request.html"
    email_template_name = "staff/password_reset/email.txt"
    subject_template_name = "staff/password_reset/subject.txt"
    success_url = reverse_lazy("staff:password_reset_sent")


class StaffPasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "staff/password_reset/sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"timeout_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}


class StaffPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "staff/password_reset/confirm.html"
    success_url = reverse_lazy("staff:password_reset_complete")


class StaffPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "staff/password_reset/complete.html"

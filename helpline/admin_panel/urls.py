from django.urls import path

from helpline.admin_panel import email_templates, views

app_name = "admin_panel"
urlpatterns = [
    path("", views.index, name="index"),
    path("audit/", views.audit_log, name="audit_log"),
    path("emails/", email_templates.email_templates, name="email_templates"),
    path("emails/<slug:kind>/", email_templates.email_template, name="email_template"),
    path("emails/<slug:kind>/reset/", email_templates.email_template_reset, name="email_template_reset"),
]

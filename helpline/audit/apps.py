from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "helpline.audit"
    verbose_name = "Audit log"

from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "helpline.sla"

from django.apps import AppConfig


class InboundConfig(AppConfig):
    name = "helpline.inbound"
    verbose_name = "Inbound email"

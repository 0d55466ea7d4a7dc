from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "helpline.core"

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "helpline.core"

    def ready(self) -> None:
        from helpline.core.configuration import install_triggers

        # After every migrate (once all apps' tables exist): a rebuilt SQLite table has lost its triggers.
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="core.configuration_triggers")

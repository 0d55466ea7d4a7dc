from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "helpline.people"
    verbose_name = "People"

    def ready(self) -> None:
        from helpline.people import access_signals, signals  # noqa: F401

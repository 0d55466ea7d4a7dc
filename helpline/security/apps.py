from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "helpline.security"
    label = "security"
    verbose_name = "Sign-in security"

    def ready(self) -> None:
        from helpline.security import signals  # noqa: F401  (the sign-in and sign-out receivers)

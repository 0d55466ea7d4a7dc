"""Sign-in security: the administrators' policy (one row) and the record of each agent's signed-in sessions."""

from django.conf import settings
from django.db import models

from helpline.people.models import Role


class SignInPolicy(models.Model):
    """Who must use a second factor, and how long a session lasts. One row, read with ``current()``.
    Administrators always need a second factor, whatever this says."""

    require_everyone = models.BooleanField(
        default=False, help_text="Every agent must sign in with a second factor."
    )
    required_roles = models.ManyToManyField(
        Role,
        blank=True,
        related_name="+",
        help_text="Agents who hold one of these roles in any department must sign in with a second factor.",
    )
    idle_minutes = models.PositiveIntegerField(
        default=30, help_text="A session ends after this many minutes without a request."
    )
    absolute_hours = models.PositiveIntegerField(
        default=12, help_text="A session ends this many hours after signing in, however busy."
    )

    class Meta:
        verbose_name = "sign-in policy"
        verbose_name_plural = "sign-in policy"

    def __str__(self) -> str:
        return "Sign-in policy"

    @classmethod
    def current(cls) -> "SignInPolicy":
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy


class AgentSession(models.Model):
    """One signed-in session, recorded at sign-in and seen again at most once a minute (not on every
    request), so agents can see where they are signed in and end a session."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    signed_in_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="agent_session_user_seen")]

    def __str__(self) -> str:
        return f"{self.user_id} from {self.address or 'unknown'} since {self.signed_in_at:%Y-%m-%d %H:%M}"

"""Credentials of the API: keys that administrators issue to other systems, and agents' personal tokens.

Neither is ever stored as it was shown: a credential is a short public prefix (to find the row) and a long
random secret, of which only the SHA-256 is kept. A salted slow hash protects guessable passwords; a secret of
256 random bits cannot be guessed, so a fast hash loses nothing and keeps every request cheap to check.
"""

from django.db import models
from django.utils import timezone

from helpline.people.actors import Channel, ChannelActor
from helpline.people.models import Agent
from helpline.people.permissions import Perm
from helpline.tickets.models import EntryKind


class Scope(models.TextChoices):
    CREATE = "tickets:create", "Open tickets"
    READ = "read", "Read tickets and reference data"
    WRITE = "write", "Change tickets (reply, note, assign, transfer, status, priority, SLA plan, merge)"


# What each scope lets a key do to tickets. Writing takes seeing: a key cannot change what it cannot find.
SCOPE_PERMS: dict[str, frozenset[str]] = {
    Scope.CREATE: frozenset({Perm.CREATE}),
    Scope.READ: frozenset({Perm.VIEW}),
    Scope.WRITE: frozenset(
        {
            Perm.VIEW,
            Perm.REPLY,
            Perm.NOTE,
            Perm.ASSIGN,
            Perm.TRANSFER,
            Perm.STATUS,
            Perm.CLOSE,
            Perm.EDIT,
            Perm.MERGE,
        }
    ),
}


class Credential(models.Model):
    """What keys and tokens share: the lookup prefix, the secret's hash, revocation and the last use."""

    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        abstract = True

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ApiKey(Credential):
    """A key another system uses (monitoring, a CRM, scripts). It acts as a channel named after the key,
    with the ticket permissions of its scopes in every department, from the allowed networks only."""

    name = models.CharField(max_length=100)
    scopes = models.JSONField(default=list, help_text="Scope codes: " + ", ".join(Scope.values))
    networks = models.JSONField(
        default=list, blank=True, help_text="Allowed client networks (CIDR). Empty: from anywhere."
    )
    created_by = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return self.name

    def actor(self) -> ChannelActor:
        perms: frozenset[str] = frozenset()
        for scope in self.scopes:
            perms |= SCOPE_PERMS.get(scope, frozenset())
        return ChannelActor(
            Channel.API,
            f"API key {self.name}",
            id=self.pk,
            ticket_perms=perms,
            departments=None,
            writes=frozenset({EntryKind.RESPONSE, EntryKind.NOTE})
            if Scope.WRITE in self.scopes
            else frozenset(),
        )

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class PersonalToken(Credential):
    """A token with which an agent uses the API as themselves, with exactly their permissions."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agent})"

"""People: requesters and their organizations, agents, departments, teams and roles."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from helpline.core.timefmt import validate_time_zone
from helpline.people.actors import ActorKind, ActorRef
from helpline.people.permissions import ALL_PERMS, Perm


def time_zone_field() -> models.CharField:
    """A person's time zone: an IANA name, or blank for the desk's (the TIME_ZONE setting)."""
    return models.CharField(
        "time zone",
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Times are shown to this person in this zone. Blank: the desk's time zone (TIME_ZONE).",
    )


class Organization(models.Model):
    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Requester(models.Model):
    """A person the help desk serves. Identified by email; a portal login is optional. An actor."""

    actor_kind = ActorKind.REQUESTER

    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=40, blank=True)
    time_zone = time_zone_field()
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="requester"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="requester_email_unique_ci")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def actor_ref(self) -> ActorRef:
        return ActorRef(ActorKind.REQUESTER, self.pk, self.name)


class Role(models.Model):
    """A named set of permissions an agent holds in a department."""

    name = models.CharField(max_length=100, unique=True)
    permissions = models.JSONField(default=list, help_text="Permission codes: " + ", ".join(Perm.values))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def grants(self) -> frozenset[str]:
        return frozenset(self.permissions) & ALL_PERMS


class Department(models.Model):
    name = models.CharField(max_length=100, unique=True)
    email = models.EmailField(blank=True, help_text="Where new-ticket alerts for this department go.")
    reply_address = models.EmailField(
        blank=True,
        help_text=(
            "The address the department's ticket emails come from and are answered at: the address of the "
            "mailbox that receives its mail. Blank: DEFAULT_FROM_EMAIL, and emails do not invite a reply."
        ),
    )
    manager = models.ForeignKey(
        "Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_departments"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    lead = models.ForeignKey("Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agent(models.Model):
    """A staff member: a Django user with departments (a role in each), teams and an admin flag. An actor."""

    actor_kind = ActorKind.AGENT

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agent")
    is_admin = models.BooleanField(default=False)
    departments = models.ManyToManyField(Department, through="Membership", related_name="agents")
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    signature = models.TextField(blank=True)
    time_zone = time_zone_field()

    # Filled on first use by people.access and kept for the life of this instance (one request).
    _department_perms: dict[int, frozenset[str]]
    _team_ids: frozenset[int]

    class Meta:
        ordering = ["user__first_name", "user__last_name", "user__username"]

    def __str__(self) -> str:
        return self.display_name

    def actor_ref(self) -> ActorRef:
        return ActorRef(ActorKind.AGENT, self.pk, self.display_name)

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def is_active(self) -> bool:
        return self.user.is_active

    @property
    def is_administrator(self) -> bool:
        return self.is_admin or self.user.is_superuser


class Membership(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agent", "department"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.agent} in {self.department} as {self.role}"

"""People: requesters and their organizations, agents, departments, teams and roles."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from helpline.core import configuration
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
        indexes = [models.Index(Lower("name"), "id", name="organization_name_ci")]

    def __str__(self) -> str:
        return self.name


class Requester(models.Model):
    """A person the help desk serves. Identified by email; a portal login is optional. An actor."""

    actor_kind = ActorKind.REQUESTER

    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=40, blank=True)
    time_zone = time_zone_field()
    # No index of its own: requester_organization_name leads with it.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="requester"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="requester_email_unique_ci")]
        indexes = [
            # The administration list: every requester by name (keyset), a name's prefix, an organization's.
            models.Index(fields=["name", "id"], name="requester_name"),
            models.Index(Lower("name"), "id", name="requester_name_ci"),
            models.Index(fields=["organization", "name", "id"], name="requester_organization_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def actor_ref(self) -> ActorRef:
        return ActorRef(ActorKind.REQUESTER, self.pk, self.name)


class RequesterAddress(models.Model):
    """Another address of a requester: what a merged requester's address becomes, so that their mail and
    their portal look-ups still find the requester they were merged into."""

    requester = models.ForeignKey(Requester, on_delete=models.CASCADE, related_name="extra_addresses")
    email = models.EmailField(max_length=254)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="requester_address_unique_ci")]

    def __str__(self) -> str:
        return f"{self.email} of requester {self.requester_id}"


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


class AssignmentStrategy(models.TextChoices):
    """How a department or team hands out new tickets that arrive with nobody to work them."""

    MANUAL = "manual", "Manual only"
    ROUND_ROBIN = "round_robin", "Round-robin"
    LEAST_OPEN = "least_open", "Least open tickets"


def assignment_strategy_field() -> models.CharField:
    return models.CharField(
        "assignment",
        max_length=20,
        choices=AssignmentStrategy.choices,
        default=AssignmentStrategy.MANUAL,
        help_text=(
            "Who gets a new ticket that arrives with nobody assigned: nobody (agents take or assign it), "
            "each available agent in turn, or the available agent with the fewest open tickets."
        ),
    )


def last_assigned_field() -> models.ForeignKey:
    # Where the turn order continues: the agent the last automatic assignment chose. Read and written
    # under the pool's row lock (routing.assignment.next_assignee).
    return models.ForeignKey(
        "Agent", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )


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
    assignment_strategy = assignment_strategy_field()
    last_assigned = last_assigned_field()
    signature = models.TextField(
        blank=True, help_text="Ends every response sent from the department's tickets, after the agent's own."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Kept in each process (the osTicket API's default destination) until a department changes; the pool's
# turn (``last_assigned``), taken with every automatic assignment, is not a change of the department.
configuration.track(
    Department,
    columns=["name", "email", "reply_address", "manager", "is_active", "assignment_strategy", "signature"],
)


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    lead = models.ForeignKey("Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField(default=True)
    assignment_strategy = assignment_strategy_field()
    last_assigned = last_assigned_field()

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
    # Availability for automatic assignment; an agent who is away still works the tickets they have.
    is_away = models.BooleanField(
        "away", default=False, help_text="Away: no new tickets are assigned automatically."
    )
    vacation_from = models.DateField(null=True, blank=True, help_text="First day away (included).")
    vacation_until = models.DateField(null=True, blank=True, help_text="Last day away (included).")
    open_ticket_limit = models.PositiveIntegerField(
        "open-ticket limit",
        null=True,
        blank=True,
        help_text="No more tickets are assigned automatically while this many are open or pending. Blank: no limit.",
    )

    # Filled on first use by people.access and kept for the life of this instance (one request).
    _department_perms: dict[int, frozenset[str]]
    _team_ids: frozenset[int]

    class Meta:
        ordering = ["user__first_name", "user__last_name", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(vacation_from__isnull=True)
                | models.Q(vacation_until__isnull=True)
                | models.Q(vacation_until__gte=models.F("vacation_from")),
                name="agent_vacation_in_order",
            )
        ]

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

    def on_vacation(self, day: date) -> bool:
        """Is ``day`` within the vacation? A vacation with only a first day lasts until further notice; one
        with only a last day has begun already."""
        if self.vacation_from is None and self.vacation_until is None:
            return False
        starts, ends = self.vacation_from or date.min, self.vacation_until or date.max
        return starts <= day <= ends

    def available_on(self, day: date) -> bool:
        """May new tickets be assigned to the agent automatically on ``day``: active, not away, not on
        vacation?"""
        return self.is_active and not self.is_away and not self.on_vacation(day)


class Membership(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT)
    # The agent's own department, among theirs (at most one): where their new tickets go unless they choose.
    is_primary = models.BooleanField("primary department", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agent", "department"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["agent"], condition=models.Q(is_primary=True), name="membership_one_primary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} in {self.department} as {self.role}"

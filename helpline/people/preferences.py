"""What people choose for themselves: the time zone their times are shown in, and an agent's availability
for automatic assignment."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from helpline.core.timefmt import validate_time_zone
from helpline.people.models import Agent, Requester


def set_time_zone(person: Agent | Requester, name: str) -> None:
    """Show ``person`` times in the zone ``name`` from now on (blank: the desk's zone).

    Raises ValidationError for a name that is not a known zone; nothing is saved then.
    """
    validate_time_zone(name)
    if person.time_zone != name:
        person.time_zone = name
        person.save(update_fields=["time_zone"])


@dataclass(frozen=True)
class Availability:
    """Whether an agent takes new tickets automatically: the away switch and a vacation (either day may be
    left open)."""

    away: bool
    vacation_from: date | None = None
    vacation_until: date | None = None

    @classmethod
    def of(cls, agent: Agent) -> "Availability":
        return cls(agent.is_away, agent.vacation_from, agent.vacation_until)

    def check(self) -> None:
        """Raises ValidationError (on ``vacation_until``) when the vacation ends before it starts."""
        if self.vacation_from and self.vacation_until and self.vacation_until < self.vacation_from:
            raise ValidationError(
                {"vacation_until": "The vacation's last day comes before its first day."}, code="order"
            )


AVAILABILITY_FIELDS = ["is_away", "vacation_from", "vacation_until"]


def set_availability(agent: Agent, availability: Availability) -> bool:
    """Save the agent's availability; returns whether it changed. Raises ValidationError (nothing saved)
    for a vacation that ends before it starts."""
    availability.check()
    if Availability.of(agent) == availability:
        return False
    agent.is_away = availability.away
    agent.vacation_from, agent.vacation_until = availability.vacation_from, availability.vacation_until
    agent.save(update_fields=AVAILABILITY_FIELDS)
    return True

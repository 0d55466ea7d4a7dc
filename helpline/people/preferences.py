"""What people choose for themselves: for now, the time zone their times are shown in."""

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

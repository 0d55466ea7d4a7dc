"""Who acts: an agent, a requester, or a named part of the system (email intake, SLA job, ...)."""

from dataclasses import dataclass

from helpline.people.models import Agent, Requester


@dataclass(frozen=True)
class SystemActor:
    """A part of Helpline that acts on its own behalf; it may do everything and is named on the record."""

    name: str

    def __str__(self) -> str:
        return self.name


Actor = Agent | Requester | SystemActor

SLA_JOB = SystemActor("SLA monitor")

from helpline.tickets.models.attachment import Attachment
from helpline.tickets.models.reference import Priority, State, TicketStatus
from helpline.tickets.models.thread import EntryKind, Event, ThreadEntry
from helpline.tickets.models.ticket import Collaborator, Source, Ticket

__all__ = [
    "Attachment",
    "Collaborator",
    "EntryKind",
    "Event",
    "Priority",
    "Source",
    "State",
    "ThreadEntry",
    "Ticket",
    "TicketStatus",
]

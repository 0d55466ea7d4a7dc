from helpline.tickets.models.attachment import Attachment
from helpline.tickets.models.links import TicketLink
from helpline.tickets.models.notification import Notification, NotificationTemplate
from helpline.tickets.models.thread import EntryKind, Event, ThreadEntry
from helpline.tickets.models.ticket import Collaborator, SLAEscalation, Source, Ticket

__all__ = [
    "Attachment",
    "Collaborator",
    "EntryKind",
    "Event",
    "Notification",
    "NotificationTemplate",
    "SLAEscalation",
    "Source",
    "ThreadEntry",
    "TicketLink",
    "Ticket",
]

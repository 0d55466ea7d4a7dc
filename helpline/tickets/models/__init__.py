from helpline.tickets.models.attachment import Attachment
from helpline.tickets.models.following import Follower, ReplyLock
from helpline.tickets.models.notification import Notification, NotificationTemplate
from helpline.tickets.models.thread import EntryKind, Event, ThreadEntry
from helpline.tickets.models.ticket import Collaborator, SLAEscalation, Source, Ticket

__all__ = [
    "Attachment",
    "Collaborator",
    "EntryKind",
    "Event",
    "Follower",
    "Notification",
    "NotificationTemplate",
    "ReplyLock",
    "SLAEscalation",
    "Source",
    "ThreadEntry",
    "Ticket",
]

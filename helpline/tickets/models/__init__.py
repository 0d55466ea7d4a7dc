from helpline.tickets.models.attachment import Attachment
from helpline.tickets.models.canned import CannedAttachment, CannedResponse
from helpline.tickets.models.field_value import FieldValue
from helpline.tickets.models.following import Follower, ReplyLock
from helpline.tickets.models.links import TicketLink
from helpline.tickets.models.notification import Notification, NotificationTemplate
from helpline.tickets.models.search import SearchDocument
from helpline.tickets.models.thread import EntryKind, Event, ThreadEntry
from helpline.tickets.models.ticket import Collaborator, SLAEscalation, Source, Ticket
from helpline.tickets.models.work import Mention, Task

__all__ = [
    "Attachment",
    "CannedAttachment",
    "CannedResponse",
    "Collaborator",
    "EntryKind",
    "Event",
    "FieldValue",
    "Follower",
    "Mention",
    "Notification",
    "NotificationTemplate",
    "ReplyLock",
    "SLAEscalation",
    "SearchDocument",
    "Source",
    "Task",
    "ThreadEntry",
    "TicketLink",
    "Ticket",
]

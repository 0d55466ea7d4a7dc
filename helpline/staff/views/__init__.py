"""The staff panel's views, one module per page; ``urls.py`` names them from here."""

from helpline.staff.views.attachments import attachment
from helpline.staff.views.auth import StaffLoginView, StaffLogoutView
from helpline.staff.views.claiming import claim
from helpline.staff.views.collaborators import cc_add, cc_remove
from helpline.staff.views.dashboard import dashboard
from helpline.staff.views.deletion import ticket_delete
from helpline.staff.views.live import nav_counts, ticket_updates
from helpline.staff.views.mail_hold import release_mail
from helpline.staff.views.new_ticket import ticket_new
from helpline.staff.views.preferences import preferences
from helpline.staff.views.queues import queue
from helpline.staff.views.search import search
from helpline.staff.views.ticket import ticket_detail
from helpline.staff.views.ticket_actions import assign, note, priority, reply, sla, status, transfer

__all__ = [
    "StaffLoginView",
    "StaffLogoutView",
    "assign",
    "attachment",
    "cc_add",
    "claim",
    "cc_remove",
    "dashboard",
    "nav_counts",
    "note",
    "preferences",
    "priority",
    "queue",
    "release_mail",
    "reply",
    "search",
    "sla",
    "status",
    "ticket_delete",
    "ticket_detail",
    "ticket_new",
    "ticket_updates",
    "transfer",
]

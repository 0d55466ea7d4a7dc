"""The staff panel's views, one module per page; ``urls.py`` names them from here."""

from helpline.staff.views.access_links import revoke_links
from helpline.staff.views.attachments import attachment
from helpline.staff.views.auth import StaffLoginView, StaffLogoutView
from helpline.staff.views.bulk import bulk
from helpline.staff.views.canned import (
    my_response_deactivate,
    my_response_edit,
    my_response_new,
    my_responses,
)
from helpline.staff.views.canned_picker import canned_insert
from helpline.staff.views.claiming import claim
from helpline.staff.views.collaboration import follow, new_entries, replying, replying_stop, unfollow
from helpline.staff.views.collaborators import cc_add, cc_remove
from helpline.staff.views.dashboard import dashboard
from helpline.staff.views.deletion import ticket_delete
from helpline.staff.views.links import link_add, link_remove, split
from helpline.staff.views.live import nav_counts, ticket_updates
from helpline.staff.views.mail_hold import release_mail
from helpline.staff.views.new_ticket import ticket_new
from helpline.staff.views.preferences import preferences
from helpline.staff.views.queues import queue
from helpline.staff.views.saved_queues import (
    saved_queue,
    saved_queue_delete,
    saved_queue_edit,
    saved_queue_list,
    saved_queue_new,
)
from helpline.staff.views.search import search
from helpline.staff.views.tasks import my_tasks, task_add, task_delete, task_done, task_edit
from helpline.staff.views.ticket import ticket_detail
from helpline.staff.views.ticket_actions import assign, note, priority, reply, sla, status, transfer

__all__ = [
    "StaffLoginView",
    "StaffLogoutView",
    "assign",
    "attachment",
    "canned_insert",
    "my_response_deactivate",
    "my_response_edit",
    "my_response_new",
    "my_responses",
    "bulk",
    "cc_add",
    "claim",
    "follow",
    "new_entries",
    "cc_remove",
    "link_add",
    "link_remove",
    "dashboard",
    "nav_counts",
    "note",
    "preferences",
    "priority",
    "queue",
    "release_mail",
    "revoke_links",
    "reply",
    "replying",
    "replying_stop",
    "saved_queue",
    "saved_queue_delete",
    "saved_queue_edit",
    "saved_queue_list",
    "saved_queue_new",
    "search",
    "sla",
    "split",
    "status",
    "my_tasks",
    "task_add",
    "task_delete",
    "task_done",
    "task_edit",
    "ticket_delete",
    "ticket_detail",
    "ticket_new",
    "ticket_updates",
    "transfer",
    "unfollow",
]

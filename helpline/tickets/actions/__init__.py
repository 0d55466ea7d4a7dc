"""Every change of a ticket goes through these functions. See ARCHITECTURE.md, "The one rule of data flow"."""

from helpline.tickets.actions.access_links import revoke_access_links
from helpline.tickets.actions.assignment import assign_ticket, transfer_ticket
from helpline.tickets.actions.claiming import claim_ticket
from helpline.tickets.actions.collaborators import add_collaborator, remove_collaborator
from helpline.tickets.actions.custom_fields import set_field_values
from helpline.tickets.actions.deletion import delete_ticket
from helpline.tickets.actions.following import follow_ticket, unfollow_ticket
from helpline.tickets.actions.intake import Routing, open_ticket, receive_ticket
from helpline.tickets.actions.links import link_tickets, split_entry, unlink_tickets
from helpline.tickets.actions.merging import merge_tickets
from helpline.tickets.actions.properties import set_priority, set_sla_plan
from helpline.tickets.actions.requester_merging import RequesterMerge, merge_requesters
from helpline.tickets.actions.rules import Envelope, RejectedByRule
from helpline.tickets.actions.sla import check_sla_targets, remeasure_sla
from helpline.tickets.actions.status import auto_close_resolved, reopen_ticket, set_status
from helpline.tickets.actions.tasks import add_task, delete_task, edit_task, set_task_done
from helpline.tickets.actions.thread import add_note, post_message, post_reply, record_bounce

__all__ = [
    "Envelope",
    "RejectedByRule",
    "RequesterMerge",
    "Routing",
    "add_collaborator",
    "add_note",
    "add_task",
    "assign_ticket",
    "auto_close_resolved",
    "check_sla_targets",
    "claim_ticket",
    "delete_task",
    "delete_ticket",
    "follow_ticket",
    "edit_task",
    "link_tickets",
    "merge_requesters",
    "merge_tickets",
    "open_ticket",
    "post_message",
    "post_reply",
    "receive_ticket",
    "record_bounce",
    "remeasure_sla",
    "remove_collaborator",
    "reopen_ticket",
    "revoke_access_links",
    "set_priority",
    "set_field_values",
    "set_sla_plan",
    "set_status",
    "set_task_done",
    "transfer_ticket",
    "unfollow_ticket",
    "split_entry",
    "transfer_ticket",
    "unlink_tickets",
]

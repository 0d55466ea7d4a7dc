"""The permissions a role can grant on the tickets of a department: codes fixed in code, never in settings."""

from django.db import models


class Perm(models.TextChoices):
    VIEW = "view", "View tickets"
    REPLY = "reply", "Reply to requesters"
    NOTE = "note", "Add internal notes"
    ASSIGN = "assign", "Assign tickets"
    CLAIM = "claim", "Take unassigned tickets"
    TRANSFER = "transfer", "Transfer between departments"
    STATUS = "status", "Change status and priority"
    CLOSE = "close", "Resolve and close"
    EDIT = "edit", "Edit ticket details and SLA"
    CREATE = "create", "Open tickets for requesters"
    DELETE = "delete", "Delete tickets"
    MERGE = "merge", "Merge tickets"


ALL_PERMS = frozenset(Perm.values)
# What an agent may do on a ticket outside their departments that is assigned to them or their team.
ASSIGNEE_PERMS = frozenset({Perm.VIEW, Perm.REPLY, Perm.NOTE, Perm.STATUS, Perm.CLOSE})

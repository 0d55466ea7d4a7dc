"""Rows the staff panel keeps for itself: the queues agents save, and files of a reply not posted yet."""

import uuid

from django.db import models

from helpline.people.models import Agent

# Saved queues listed in the navigation, each with its count; the page of saved queues lists them all.
NAV_LIMIT = 10


class SavedQueueQuerySet(models.QuerySet):
    def for_agent(self, agent: Agent) -> "SavedQueueQuerySet":
        """The saved queues ``agent`` sees: their own and the shared ones."""
        return self.for_agent_id(agent.pk)

    def for_agent_id(self, agent_id: int) -> "SavedQueueQuerySet":
        return self.filter(models.Q(owner_id=agent_id) | models.Q(is_shared=True))


class SavedQueue(models.Model):
    """A named list an agent opens from the navigation: a built-in queue (or a search, with its words),
    narrowed by filters and sorted. Shared ones, made by an administrator, are in every agent's navigation;
    each agent still sees only the tickets they may see."""

    owner = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="saved_queues")
    name = models.CharField(max_length=60)
    is_shared = models.BooleanField("shared with every agent", default=False)
    # A key of tickets.queries.QUEUES, or "search" (then ``words`` holds the search words).
    base = models.CharField(max_length=20)
    words = models.CharField(max_length=254, blank=True)
    # staff.filters.TicketFilters.to_json(): plain values (ids, an address, ISO dates).
    filters = models.JSONField(default=dict, blank=True)
    sort = models.CharField(max_length=20, blank=True)
    # The optional columns shown (staff.views.lists.COLUMNS keys), in the table's order.
    columns = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SavedQueueQuerySet.as_manager()

    class Meta:
        ordering = ["is_shared", "name", "id"]
        indexes = [models.Index(fields=["owner", "name"], name="savedqueue_owner_name")]

    def __str__(self) -> str:
        return self.name


def held_upload_path(instance: "HeldUpload", filename: str) -> str:
    # As for ticket attachments: the stored name never comes from the uploader.
    return f"held/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}"


class HeldUpload(models.Model):
    """A file attached to a reply or a note that was not posted yet (others wrote meanwhile, or the page
    was old): kept for its agent and ticket, so the form shown again carries it instead of asking for it
    again. Used once, or removed after a day (staff.held_uploads)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=held_upload_path, max_length=200)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["agent", "ticket"], name="heldupload_agent_ticket")]

    def __str__(self) -> str:
        return self.filename

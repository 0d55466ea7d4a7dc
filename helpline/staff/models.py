"""Rows the staff panel keeps for itself: the queues agents save (a list, its filters, sort and columns)."""

from django.db import models

from helpline.people.models import Agent

# Saved queues listed in the navigation, each with its count; the page of saved queues lists them all.
NAV_LIMIT = 10


class SavedQueueQuerySet(models.QuerySet):
    def for_agent(self, agent: Agent) -> "SavedQueueQuerySet":
        """The saved queues ``agent`` sees: their own and the shared ones."""
        return self.filter(models.Q(owner=agent) | models.Q(is_shared=True))


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

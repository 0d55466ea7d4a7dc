"""Help topics: what a requester picks when opening a ticket, and where that routes it.

Topics nest ("Hardware request / Monitor"). Each keeps its full name (its parents' names and its own) in a
column, so that naming a topic anywhere (a queue row, the thread, a select) reads no parent; saving a topic
refreshes the full names of the topics under it.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction

from helpline.catalog.models import State
from helpline.core import configuration

SEPARATOR = " / "
MAX_FULL_NAME = 500


class HelpTopic(models.Model):
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The topic this one is shown under. Its settings are this topic's own.",
    )
    full_name = models.CharField(max_length=MAX_FULL_NAME, editable=False)
    department = models.ForeignKey("people.Department", on_delete=models.PROTECT, related_name="help_topics")
    priority = models.ForeignKey("catalog.Priority", null=True, blank=True, on_delete=models.PROTECT)
    sla_plan = models.ForeignKey("sla.SLAPlan", null=True, blank=True, on_delete=models.PROTECT)
    status = models.ForeignKey(
        "catalog.TicketStatus",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The status a new ticket gets (one on the open state). Empty: the open state's default.",
    )
    auto_response = models.BooleanField(
        default=True, help_text="The requester is sent the new-ticket confirmation."
    )
    assign_to_agent = models.ForeignKey(
        "people.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assign_to_team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_public = models.BooleanField(default=True, help_text="Offered to requesters in the portal.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["full_name"],
                name="help_topic_full_name_unique",
                violation_error_message="Another topic has this name at the same place (the same parent).",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.name

    def save(self, *args, **kwargs) -> None:
        """Keeps the full names true: this topic's, and those of the topics under it when its name or
        parent changed. Raises ValueError for a cycle (``clean`` names it to a person first)."""
        fields = kwargs.get("update_fields")
        if fields is not None and not {"name", "parent"} & set(fields):
            super().save(*args, **kwargs)
            return
        parent = self.parent if self.parent_id else None
        if self.would_be_inside_itself(parent):
            raise ValueError(f"Help topic {self.pk} cannot be placed under itself.")
        self.full_name = self.full_name_under(parent)
        if fields is not None:
            kwargs["update_fields"] = {*fields, "full_name"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            for child in HelpTopic.objects.filter(parent=self):
                if child.full_name != child.full_name_under(self):
                    child.parent = self  # the saved instance, so the child reads no parent again
                    child.save(update_fields=["full_name", "parent"])

    @property
    def depth(self) -> int:
        """0 for a topic at the top, 1 for one under it, ..."""
        return self.full_name.count(SEPARATOR)

    def full_name_under(self, parent: "HelpTopic | None") -> str:
        return f"{parent.full_name}{SEPARATOR}{self.name}" if parent is not None else self.name

    def would_be_inside_itself(self, parent: "HelpTopic | None") -> bool:
        """Whether putting this topic under ``parent`` makes a cycle: ``parent`` is this topic or under it.
        One query per level above ``parent``."""
        seen: set[int] = set()
        while parent is not None and self.pk is not None:
            if parent.pk == self.pk or parent.pk in seen:
                return True
            seen.add(parent.pk)
            parent = parent.parent
        return False

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if "/" in self.name:
            errors["name"] = "A topic's name cannot contain “/”: it separates a topic from its parent."
        parent = self.parent if self.parent_id else None
        if self.would_be_inside_itself(parent):
            errors["parent"] = "A topic cannot be placed under itself or under a topic below it."
        elif len(self.full_name_under(parent)) > MAX_FULL_NAME:
            errors["parent"] = f"The full name would pass {MAX_FULL_NAME} characters: nest it less deeply."
        else:
            self.full_name = self.full_name_under(parent)  # what the uniqueness check then compares
        if self.status_id and self.status is not None and self.status.state != State.OPEN:
            errors["status"] = "A new ticket starts open: choose a status on the open state."
        if errors:
            raise ValidationError(errors)


def tree_key(topic: HelpTopic) -> tuple[str, ...]:
    """Sorts topics as a tree: each right after its parent, siblings by name, whatever the database's
    collation does with spaces and punctuation."""
    return tuple(part.casefold() for part in topic.full_name.split(SEPARATOR))


def in_tree_order(topics: Iterable[HelpTopic]) -> list[HelpTopic]:
    return sorted(topics, key=tree_key)


# Kept in each process (the osTicket API's default destination) until a help topic changes.
configuration.track(HelpTopic)

"""The text a ticket is found by: one row per ticket, rebuilt from the ticket by ``tickets.search.indexing``.

The database indexes these columns itself (migration 0013): on SQLite an FTS5 table reads them through
triggers; on PostgreSQL two generated tsvector columns (with and without the internal notes) carry GIN
indexes. The Django model knows only the text, so the same code writes it on either database.
"""

from django.db import models


class SearchDocument(models.Model):
    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    subject = models.TextField(blank=True)
    # The ticket's number, the requester's name and email address, the attachments' file names.
    labels = models.TextField(blank=True)
    # Requester messages and agent responses: what the requester sees too.
    public_text = models.TextField(blank=True)
    # Internal notes, kept apart so that only those who read notes find a ticket by them.
    internal_text = models.TextField(blank=True)
    # The ticket's updated_at that this text was built from: a later one means the text may be behind.
    source_updated_at = models.DateTimeField()
    # The ticket's version this text was built from (``tickets.conflicts``; null: built before it was
    # kept): a change that adds to the text bumps the version, under the ticket's lock, whatever the clocks.
    source_version = models.PositiveIntegerField(null=True, blank=True)
    indexed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"search text of ticket {self.ticket_id}"

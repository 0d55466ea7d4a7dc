"""Inbound email: the mailboxes a desk reads, every raw message received, and the senders it refuses."""

from django.db import models
from django.db.models.functions import Lower

from helpline.core import configuration


class Mailbox(models.Model):
    """An address the desk receives mail at: fetched over IMAP or POP3, or fed by the mail server's pipe."""

    class Protocol(models.TextChoices):
        PIPE = "pipe", "Mail server pipe only (no fetching)"
        IMAP = "imap", "IMAP"
        POP3 = "pop3", "POP3"

    class Security(models.TextChoices):
        SSL = "ssl", "Implicit TLS (IMAPS 993, POP3S 995)"
        STARTTLS = "starttls", "STARTTLS"
        NONE = "none", "None (only on a trusted network)"

    class AfterFetch(models.TextChoices):
        MARK_READ = "mark_read", "Mark as read (IMAP) and leave on the server"
        DELETE = "delete", "Delete from the server"
        MOVE = "move", "Move to another folder (IMAP)"

    name = models.CharField(max_length=100, unique=True)
    address = models.EmailField(max_length=254)
    department = models.ForeignKey("people.Department", on_delete=models.PROTECT, related_name="mailboxes")
    topic = models.ForeignKey("routing.HelpTopic", null=True, blank=True, on_delete=models.PROTECT)
    protocol = models.CharField(max_length=10, choices=Protocol.choices, default=Protocol.PIPE)
    host = models.CharField(max_length=255, blank=True)
    port = models.PositiveIntegerField(null=True, blank=True)
    security = models.CharField(max_length=10, choices=Security.choices, default=Security.SSL)
    username = models.CharField(max_length=255, blank=True)
    # Encrypted (inbound.secrets); never shown back, only replaced.
    password_encrypted = models.TextField(blank=True, editable=False)
    folder = models.CharField(max_length=255, default="INBOX")
    after_fetch = models.CharField(max_length=10, choices=AfterFetch.choices, default=AfterFetch.MARK_READ)
    move_to = models.CharField(
        max_length=255, blank=True, help_text="The folder for “Move to another folder”."
    )
    fetch_every_minutes = models.PositiveSmallIntegerField(default=5)
    cc_as_collaborators = models.BooleanField(
        default=True, help_text="Addresses copied on a new email become collaborators on its ticket."
    )
    note_tag = models.CharField(
        max_length=40,
        default="note",
        blank=True,
        help_text="An agent's reply sent to address+TAG@domain is an internal note, not a response.",
    )
    is_default = models.BooleanField(
        default=False, help_text="Piped mail addressed to no mailbox (Bcc, aliases) goes through this one."
    )
    is_active = models.BooleanField(default=True)
    last_fetch_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    next_fetch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "mailboxes"
        constraints = [
            models.UniqueConstraint(Lower("address"), name="mailbox_address_unique_ci"),
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_mailbox"
            ),
        ]
        indexes = [models.Index(fields=["is_active", "next_fetch_at"], name="mailbox_fetch_due")]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"

    @property
    def fetches(self) -> bool:
        return self.protocol != self.Protocol.PIPE


# Kept in each process (the osTicket API's default destination) until a mailbox's routing changes; a
# fetch's bookkeeping is not a change.
configuration.track(Mailbox, columns=["department", "topic", "is_active", "is_default"])


class RawMessage(models.Model):
    """A message exactly as it reached Helpline, stored before it is parsed so that nothing is lost.

    ``dedupe_key`` (the Message-ID, or a digest of the bytes for a message without one) makes receiving the
    same message twice (fetched again, piped again) a no-op."""

    class Source(models.TextChoices):
        PIPE = "pipe", "Mail server pipe"
        IMAP = "imap", "IMAP"
        POP3 = "pop3", "POP3"
        API = "api", "API"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received, not processed yet"
        PROCESSED = "processed", "Processed"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed (will be retried)"
        DISCARDED = "discarded", "Discarded by an administrator"

    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    received_at = models.DateTimeField()
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    message_id = models.CharField(max_length=998, blank=True)
    dedupe_key = models.CharField(max_length=300, unique=True)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    # What became of it ("new ticket", "reply", "bounce", ...) and, when refused or failed, why.
    outcome = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The thread entry it became (its message), which links back here to show the original as received.
    entry = models.ForeignKey(
        "tickets.ThreadEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-received_at", "-id"], name="raw_status_received"),
            models.Index(fields=["message_id"], name="raw_message_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} message {self.message_id or self.dedupe_key} ({self.status})"


class BannedAddress(models.Model):
    """A sender (``someone@example.com``) or a whole domain (``@example.com``) whose mail is refused."""

    pattern = models.CharField(max_length=254, help_text="An address, or @domain for every address there.")
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pattern"]
        verbose_name_plural = "banned addresses"
        constraints = [models.UniqueConstraint(Lower("pattern"), name="banned_pattern_unique_ci")]

    def __str__(self) -> str:
        return self.pattern


class FetchedUid(models.Model):
    """A message a POP3 mailbox fetched and left on the server, by the server's unique id for it (UIDL), so
    that later fetches skip it. Ids the server no longer lists are forgotten at the next fetch."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="+")
    uid = models.CharField(max_length=70)  # RFC 1939: 1 to 70 printable characters
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mailbox", "uid"], name="fetched_uid_unique")]

    def __str__(self) -> str:
        return self.uid

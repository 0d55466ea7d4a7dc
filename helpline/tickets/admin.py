"""Tickets in the Django admin.

Tickets, thread entries and attachments are history: they change only through ``helpline.tickets.actions``
(the staff panel, the portal, email), so the admin shows them read-only. Lists never count a whole table (``show_full_result_count``) and load their
related rows in the same query.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from helpline.core.admin import ReadOnlyAdminMixin
from helpline.tickets.models import (
    Attachment,
    CannedAttachment,
    CannedResponse,
    Collaborator,
    FieldValue,
    Follower,
    Mention,
    Notification,
    NotificationTemplate,
    ReplyLock,
    SLAEscalation,
    Task,
    ThreadEntry,
    Ticket,
    TicketLink,
)


class ThreadEntryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ThreadEntry
    fields = ["created_at", "kind", "event", "author_name", "excerpt"]
    readonly_fields = ["created_at", "kind", "event", "author_name", "excerpt"]
    ordering = ["created_at", "id"]
    show_change_link = True

    @admin.display(description="Text")
    def excerpt(self, entry: ThreadEntry) -> str:
        return Truncator(entry.body_text).chars(200) if entry.body_text else str(entry.data or "")


class CollaboratorInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Collaborator
    fields = ["requester", "added_at"]
    readonly_fields = ["requester", "added_at"]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "subject",
        "requester",
        "department",
        "status",
        "priority",
        "assignee",
        "team",
        "due_at",
        "is_overdue",
        "updated_at",
    ]
    list_select_related = ["requester", "department", "status", "priority", "assignee__user", "team"]
    list_filter = ["state", "is_overdue", "source", "priority", "department"]
    search_fields = ["=number", "subject", "=requester__email"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["number", "subject", "staff_link", "requester", "source", "topic"]}),
        ("Routing", {"fields": ["department", "priority", "sla_plan", "assignee", "team"]}),
        ("Status", {"fields": ["status", "state", "reopen_count"]}),
        (
            "Service level",
            {
                "fields": [
                    "first_response_due_at",
                    "first_response_overdue",
                    "due_at",
                    "is_overdue",
                    "sla_running_since",
                    "sla_consumed",
                    "next_sla_check_at",
                ]
            },
        ),
        (
            "Times",
            {
                "fields": [
                    "created_at",
                    "updated_at",
                    "first_response_at",
                    "last_message_at",
                    "last_response_at",
                    "resolved_at",
                    "closed_at",
                ]
            },
        ),
    ]
    readonly_fields = ["staff_link"]
    inlines = [CollaboratorInline, ThreadEntryInline]

    @admin.display(description="Staff panel")
    def staff_link(self, ticket: Ticket) -> str:
        url = reverse("staff:ticket", args=[ticket.number])
        return format_html('<a href="{}">Work on it in the staff panel</a>', url)


@admin.register(ThreadEntry)
class ThreadEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "ticket_number", "kind", "event", "author_name", "created_at"]
    list_select_related = ["ticket"]
    list_filter = ["kind", "event"]
    search_fields = ["=ticket__number", "author_name"]
    show_full_result_count = False
    fields = [
        "ticket",
        "kind",
        "event",
        "author_agent",
        "author_requester",
        "author_name",
        "created_at",
        "body_text",
        "body_html",
        "data",
    ]

    @admin.display(description="Ticket", ordering="ticket__number")
    def ticket_number(self, entry: ThreadEntry) -> str:
        return entry.ticket.number


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "ticket_number", "content_type", "size", "created_at"]
    list_select_related = ["entry__ticket"]
    search_fields = ["=entry__ticket__number", "filename", "=sha256"]
    show_full_result_count = False
    # The stored file is offered through the staff panel, which checks who may see the ticket.
    fields = ["entry", "filename", "content_type", "size", "sha256", "created_at", "download"]
    readonly_fields = ["download"]

    @admin.display(description="Ticket", ordering="entry__ticket__number")
    def ticket_number(self, attachment: Attachment) -> str:
        return attachment.entry.ticket.number

    @admin.display(description="Download")
    def download(self, attachment: Attachment) -> str:
        url = reverse("staff:attachment", args=[attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.filename)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What changes promised to tell people, and whether the task queue has told them (see the outbox)."""

    list_display = ["kind", "ticket_number", "status", "attempts", "created_at", "done_at"]
    list_select_related = ["ticket"]
    list_filter = ["status", "kind"]
    search_fields = ["=ticket__number"]
    show_full_result_count = False
    fields = [
        "kind",
        "ticket",
        "entry",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "done_at",
        "data",
    ]

    @admin.display(description="Ticket", ordering="ticket__number")
    def ticket_number(self, notification: Notification) -> str:
        return notification.ticket.number


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Administrators' texts for the notification emails, to look at. They are edited in Helpline's
    administration area, which checks that they compile and records each change in the audit log."""

    list_display = ["kind", "subject", "updated_at", "edit_link"]
    fields = ["kind", "subject", "body_text", "body_html", "updated_at"]

    @admin.display(description="Edit")
    def edit_link(self, template: NotificationTemplate) -> str:
        url = reverse("admin_panel:email_template", args=[template.kind])
        return format_html('<a href="{}">In the administration area</a>', url)


@admin.register(SLAEscalation)
class SLAEscalationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The escalation steps applied to tickets in their current period, each once (the ticket's thread says
    what each changed)."""

    list_display = ["ticket_number", "step_id", "applied_at"]
    list_select_related = ["ticket"]
    search_fields = ["=ticket__number"]
    show_full_result_count = False
    fields = ["ticket", "step_id", "applied_at"]

    @admin.display(description="Ticket", ordering="ticket__number")
    def ticket_number(self, escalation: SLAEscalation) -> str:
        return escalation.ticket.number


@admin.register(Follower)
class FollowerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Agents following tickets: they follow and unfollow on the ticket page."""

    list_display = ["ticket_number", "agent", "created_at"]
    list_select_related = ["ticket", "agent__user"]
    search_fields = ["=ticket__number"]
    show_full_result_count = False
    fields = ["ticket", "agent", "created_at"]

    @admin.display(description="Ticket", ordering="ticket__number")
    def ticket_number(self, follower: Follower) -> str:
        return follower.ticket.number


@admin.register(ReplyLock)
class ReplyLockAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who is writing a reply to which ticket (rows past their expiry mean nothing; they go lazily)."""

    list_display = ["ticket_number", "agent", "since", "expires_at"]
    list_select_related = ["ticket", "agent__user"]
    show_full_result_count = False
    fields = ["ticket", "agent", "since", "expires_at"]

    @admin.display(description="Ticket", ordering="ticket__number")
    def ticket_number(self, lock: ReplyLock) -> str:
        return lock.ticket.number


# Canned responses, mentions and tasks change only through the administration area, the staff panel and
# the actions (which check them and record each change): read-only here.


@admin.register(CannedResponse)
class CannedResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "department", "owner", "is_active", "updated_at"]
    list_select_related = ["department", "owner__user"]
    list_filter = ["is_active", "department"]
    search_fields = ["title"]
    show_full_result_count = False


@admin.register(CannedAttachment)
class CannedAttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "response", "size", "created_at"]
    list_select_related = ["response"]
    show_full_result_count = False


@admin.register(Mention)
class MentionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["ticket", "agent", "created_at"]
    list_select_related = ["ticket", "agent__user"]
    search_fields = ["=ticket__number"]
    show_full_result_count = False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "ticket", "assignee", "due_on", "is_done"]
    list_select_related = ["ticket", "assignee__user"]
    list_filter = ["is_done"]
    search_fields = ["=ticket__number", "title"]
    show_full_result_count = False


@admin.register(TicketLink)
class TicketLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Links between related tickets: made and removed on the ticket page, each recorded in both threads."""

    list_display = ["low_number", "high_number", "created_at"]
    list_select_related = ["low", "high"]
    search_fields = ["=low__number", "=high__number"]
    show_full_result_count = False
    fields = ["low", "high", "created_at"]

    @admin.display(description="Ticket", ordering="low__number")
    def low_number(self, link: TicketLink) -> str:
        return link.low.number

    @admin.display(description="Linked ticket", ordering="high__number")
    def high_number(self, link: TicketLink) -> str:
        return link.high.number


@admin.register(FieldValue)
class FieldValueAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Tickets' custom field values, to look at: they change through the ticket actions."""

    list_display = ["ticket", "field", "text", "number", "date", "flag"]
    list_select_related = ["ticket", "field"]
    raw_id_fields = ["ticket"]

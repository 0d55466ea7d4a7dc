"""Help topics and filter rules in the Django admin, read-only: Helpline's administration area edits them."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from helpline.core.admin import ReadOnlyAdminMixin
from helpline.routing.models import (
    DepartmentDefaults,
    FilterRule,
    HelpTopic,
    RuleAction,
    RuleCondition,
    TopicForm,
)
from helpline.routing.models.rules import TARGET_FIELDS


@admin.register(HelpTopic)
class HelpTopicAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Help topics, to look at. They are edited in Helpline's administration area, which keeps the tree
    whole and the agent in the topic's department, and records each change in the audit log."""

    list_display = ["full_name", "department", "priority", "sla_plan", "assign_to", "is_public", "is_active"]
    list_select_related = ["department", "priority", "sla_plan", "assign_to_agent__user", "assign_to_team"]
    list_filter = ["is_public", "is_active", "department"]
    search_fields = ["full_name"]
    autocomplete_fields = ["parent", "department", "sla_plan", "assign_to_agent", "assign_to_team"]

    @admin.display(description="Assigned to")
    def assign_to(self, topic: HelpTopic) -> str:
        return " / ".join(str(who) for who in (topic.assign_to_agent, topic.assign_to_team) if who) or "-"


@admin.register(DepartmentDefaults)
class DepartmentDefaultsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A department's default topic and SLA plan, to look at; edited on the department's page in Helpline's
    administration area, which records each change."""

    list_display = ["department", "default_topic", "default_sla_plan"]
    list_select_related = ["department", "default_topic", "default_sla_plan"]


class RuleConditionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RuleCondition
    fields = readonly_fields = ("position", "field", "key", "operator", "value")


class RuleActionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RuleAction
    fields = readonly_fields = ("position", "kind", "text", *TARGET_FIELDS.values())


@admin.register(FilterRule)
class FilterRuleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Filter rules, to look at. They are edited in Helpline's administration area, which checks their
    regular expressions and the agents they assign, and records each change in the audit log."""

    list_display = ["name", "order", "is_active", "match", "stop_processing", "edit_link"]
    fields = ["name", "order", "is_active", "channels", "on_messages", "match", "stop_processing"]
    inlines = [RuleConditionInline, RuleActionInline]

    @admin.display(description="Edit")
    def edit_link(self, rule: FilterRule) -> str:
        url = reverse("admin_panel:filter_rule_edit", args=[rule.pk])
        return format_html('<a href="{}">In the administration area</a>', url)


@admin.register(RuleCondition)
class RuleConditionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["rule", "position", "field", "key", "operator", "value"]
    list_select_related = ["rule"]


@admin.register(RuleAction)
class RuleActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["rule", "position", "kind", "text"]
    list_select_related = ["rule"]


@admin.register(TopicForm)
class TopicFormAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Which custom forms each help topic asks, to look at (set on each form's page in Helpline's
    administration area)."""

    list_display = ["topic", "form", "sort"]
    list_select_related = ["topic", "form"]

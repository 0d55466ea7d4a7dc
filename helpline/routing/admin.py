"""Help topics in the Django admin (Helpline's administration area has their pages too)."""

from django.contrib import admin

from helpline.routing.models import HelpTopic


@admin.register(HelpTopic)
class HelpTopicAdmin(admin.ModelAdmin):
    list_display = ["full_name", "department", "priority", "sla_plan", "assign_to", "is_public", "is_active"]
    list_select_related = ["department", "priority", "sla_plan", "assign_to_agent__user", "assign_to_team"]
    list_filter = ["is_public", "is_active", "department"]
    search_fields = ["full_name"]
    autocomplete_fields = ["parent", "department", "sla_plan", "assign_to_agent", "assign_to_team"]

    @admin.display(description="Assigned to")
    def assign_to(self, topic: HelpTopic) -> str:
        return " / ".join(str(who) for who in (topic.assign_to_agent, topic.assign_to_team) if who) or "-"

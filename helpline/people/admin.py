"""People in the Django admin: organizations, requesters (and their other addresses), roles, departments,
teams and agents."""

from django import forms
from django.contrib import admin

from helpline.people.models import (
    Agent,
    Department,
    Membership,
    Organization,
    Requester,
    RequesterAddress,
    Role,
    Team,
)
from helpline.people.permissions import Perm


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


class RequesterAddressInline(admin.TabularInline):
    """A requester's other addresses (a merged requester's address among them)."""

    model = RequesterAddress
    extra = 0
    fields = ["email", "added_at"]
    readonly_fields = ["added_at"]


@admin.register(Requester)
class RequesterAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "organization", "phone", "created_at"]
    list_select_related = ["organization"]
    search_fields = ["name", "email", "organization__name"]
    autocomplete_fields = ["organization", "user"]
    show_full_result_count = False
    inlines = [RequesterAddressInline]


@admin.register(RequesterAddress)
class RequesterAddressAdmin(admin.ModelAdmin):
    list_display = ["email", "requester", "added_at"]
    list_select_related = ["requester"]
    search_fields = ["email", "requester__email"]
    autocomplete_fields = ["requester"]
    show_full_result_count = False


class RoleForm(forms.ModelForm):
    permissions = forms.MultipleChoiceField(
        choices=Perm.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Role
        fields = ["name", "permissions"]

    def clean_permissions(self) -> list[str]:
        chosen = set(self.cleaned_data["permissions"])
        return [code for code in Perm.values if code in chosen]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    form = RoleForm
    list_display = ["name", "permission_list"]
    search_fields = ["name"]

    @admin.display(description="Permissions")
    def permission_list(self, role: Role) -> str:
        return ", ".join(sorted(role.grants())) or "-"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "reply_address", "manager", "assignment_strategy", "is_active"]
    list_select_related = ["manager__user"]
    list_filter = ["is_active"]
    search_fields = ["name", "email", "reply_address"]
    autocomplete_fields = ["manager"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "lead", "assignment_strategy", "is_active"]
    list_select_related = ["lead__user"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["lead"]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["display_name", "username", "email", "is_admin", "active", "is_away", "open_ticket_limit"]
    list_select_related = ["user"]
    list_filter = ["is_admin", "user__is_active", "departments", "teams"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    autocomplete_fields = ["user", "teams"]
    inlines = [MembershipInline]

    @admin.display(description="Username", ordering="user__username")
    def username(self, agent: Agent) -> str:
        return agent.user.get_username()

    @admin.display(description="Active", boolean=True, ordering="user__is_active")
    def active(self, agent: Agent) -> bool:
        return agent.is_active

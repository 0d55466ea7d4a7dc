"""Choice lists, custom forms and fields in the Django admin, read-only: Helpline's administration area
edits them and records each change in the audit log."""

from django.contrib import admin

from helpline.core.admin import ReadOnlyAdminMixin
from helpline.custom_fields.models import ChoiceList, Field, Form


@admin.register(ChoiceList)
class ChoiceListAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Form)
class FormAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "is_active"]
    search_fields = ["name"]


@admin.register(Field)
class FieldAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["label", "key", "kind", "form", "required", "is_public", "is_active"]
    list_select_related = ["form"]
    list_filter = ["kind", "is_public", "is_active"]
    search_fields = ["label", "key"]

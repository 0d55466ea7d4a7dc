"""Pieces the Django admin pages of several apps share."""


class ReadOnlyAdminMixin:
    """Viewable by whoever may view the model; never added, changed or deleted through the admin (history:
    tickets and threads, the outbox, the audit log)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

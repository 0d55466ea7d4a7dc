from django.apps import AppConfig


class AdminPanelConfig(AppConfig):
    name = "helpline.admin_panel"
    verbose_name = "Administration"

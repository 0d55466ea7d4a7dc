from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "helpline.catalog"
    verbose_name = "Ticket priorities and statuses"

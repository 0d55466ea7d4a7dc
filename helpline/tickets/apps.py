from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "helpline.tickets"

from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "helpline.tickets"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from helpline.people.models import Requester
        from helpline.tickets.search.indexing import requester_saved

        # Tickets are found by their requester's name and address, which the people's doors change.
        post_save.connect(requester_saved, sender=Requester, dispatch_uid="tickets.requester_saved")

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "helpline.webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from helpline.tickets.signals import thread_entry_committed, thread_entry_written
        from helpline.webhooks import checks  # noqa: F401  (registers the settings check)
        from helpline.webhooks.outbox import note_entry, record_deliveries

        thread_entry_written.connect(note_entry, dispatch_uid="webhooks.note_entry")
        thread_entry_committed.connect(record_deliveries, dispatch_uid="webhooks.record_deliveries")

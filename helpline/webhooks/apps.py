from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "helpline.webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from helpline.tickets.signals import thread_entry_committed
        from helpline.webhooks import checks  # noqa: F401  (registers the settings check)
        from helpline.webhooks.outbox import record_deliveries

        thread_entry_committed.connect(record_deliveries, dispatch_uid="webhooks.record_deliveries")

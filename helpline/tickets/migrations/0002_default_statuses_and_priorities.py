from django.db import migrations

STATUSES = [("Open", "open", 1), ("Pending", "pending", 2), ("Resolved", "resolved", 3), ("Closed", "closed", 4)]
PRIORITIES = [("Low", 1, "#6b7785", False), ("Normal", 2, "#1f5fbf", True), ("High", 3, "#d97706", False),
              ("Emergency", 4, "#b42318", False)]


def create_defaults(apps, schema_editor):
    TicketStatus = apps.get_model("tickets", "TicketStatus")
    Priority = apps.get_model("tickets", "Priority")
    for name, state, sort in STATUSES:
        TicketStatus.objects.get_or_create(name=name, defaults={"state": state, "is_default": True, "sort": sort})
    for name, urgency, color, default in PRIORITIES:
        Priority.objects.get_or_create(name=name, defaults={"urgency": urgency, "color": color, "is_default": default})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_urgency(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    Priority = apps.get_model("tickets", "Priority")
    Ticket.objects.update(urgency=Subquery(Priority.objects.filter(pk=OuterRef("priority_id")).values("urgency")))


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_default_statuses_and_priorities")]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="urgency",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(copy_urgency, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="ticket", name="ticket_state_due"),
        migrations.RemoveIndex(model_name="ticket", name="ticket_state_created"),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["state", "-created_at", "-id"], name="ticket_state_created"),
        ),
        migrations.AddIndex(
            model_name="ticket", index=models.Index(fields=["state", "due_at", "id"], name="ticket_state_due")
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["state", "-urgency", "-id"], name="ticket_state_urgency"),
        ),
        migrations.AddIndex(
            model_name="ticket", index=models.Index(fields=["state", "number"], name="ticket_state_number")
        ),
    ]

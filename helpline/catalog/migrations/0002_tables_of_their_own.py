"""Rename the tables after their new app, and carry their content types (and so the admin permissions
granted on them) over from ``tickets``."""

from django.db import migrations


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("priority", "ticketstatus"):
        if not ContentType.objects.filter(app_label="catalog", model=model).exists():
            ContentType.objects.filter(app_label="tickets", model=model).update(app_label="catalog")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("priority", "ticketstatus"):
        ContentType.objects.filter(app_label="catalog", model=model).update(app_label="tickets")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("tickets", "0006_priority_and_status_to_catalog"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="priority", table=None),
        migrations.AlterModelTable(name="ticketstatus", table=None),
        migrations.RunPython(move_content_types, restore_content_types),
    ]

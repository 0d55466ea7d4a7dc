from django.db import migrations

ROLES = {
    "Manager": ["view", "reply", "note", "assign", "transfer", "status", "close", "edit", "create", "delete"],
    "Agent": ["view", "reply", "note", "assign", "transfer", "status", "close", "edit", "create"],
    "Limited": ["view", "reply", "note"],
}


def create_roles(apps, schema_editor):
    Role = apps.get_model("people", "Role")
    for name, permissions in ROLES.items():
        Role.objects.get_or_create(name=name, defaults={"permissions": permissions})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

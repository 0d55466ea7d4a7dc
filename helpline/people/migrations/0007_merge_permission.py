"""The shipped Manager and Agent roles may merge tickets; Limited may not. A role an administrator has
renamed, or made since, is left as it is: they decide for their own roles."""

from django.db import migrations, models

MERGING_ROLES = ("Manager", "Agent")


def grant_merge(apps, schema_editor):
    Role = apps.get_model("people", "Role")
    for role in Role.objects.filter(name__in=MERGING_ROLES):
        if "merge" not in role.permissions:
            role.permissions = [*role.permissions, "merge"]
            role.save(update_fields=["permissions"])


def revoke_merge(apps, schema_editor):
    Role = apps.get_model("people", "Role")
    for role in Role.objects.filter(name__in=MERGING_ROLES):
        if "merge" in role.permissions:
            role.permissions = [code for code in role.permissions if code != "merge"]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("people", "0006_claim_permission")]
    operations = [
        migrations.AlterField(
            model_name="role",
            name="permissions",
            field=models.JSONField(
                default=list,
                help_text="Permission codes: view, reply, note, assign, claim, transfer, status, close, edit, "
                "create, delete, merge",
            ),
        ),
        migrations.RunPython(grant_merge, revoke_merge),
    ]

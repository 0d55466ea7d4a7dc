"""The shipped Manager and Agent roles may take unassigned tickets; Limited may not. A role an administrator
has renamed, or made since, is left as it is: they decide for their own roles."""

from django.db import migrations

CLAIMING_ROLES = ("Manager", "Agent")


def grant_claim(apps, schema_editor):
    Role = apps.get_model("people", "Role")
    for role in Role.objects.filter(name__in=CLAIMING_ROLES):
        if "claim" not in role.permissions:
            role.permissions = [*role.permissions, "claim"]
            role.save(update_fields=["permissions"])


def revoke_claim(apps, schema_editor):
    Role = apps.get_model("people", "Role")
    for role in Role.objects.filter(name__in=CLAIMING_ROLES):
        if "claim" in role.permissions:
            role.permissions = [code for code in role.permissions if code != "claim"]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("people", "0005_assignment")]
    operations = [migrations.RunPython(grant_claim, revoke_claim)]

"""Existing plans keep their meaning: ``grace_hours`` H becomes a resolution target of H hours on 24x7 (no
schedule, no first-response target). Backwards, a target becomes whole hours again, rounded up."""

import math
from datetime import timedelta

from django.db import migrations


def hours_to_target(apps, schema_editor):
    SLAPlan = apps.get_model("sla", "SLAPlan")
    for plan in SLAPlan.objects.all():
        plan.resolution_target = timedelta(hours=plan.grace_hours or 1)
        plan.schedule = None
        plan.first_response_target = None
        plan.save(update_fields=["resolution_target", "schedule", "first_response_target"])


def target_to_hours(apps, schema_editor):
    SLAPlan = apps.get_model("sla", "SLAPlan")
    for plan in SLAPlan.objects.all():
        hours = plan.resolution_target / timedelta(hours=1) if plan.resolution_target else 1
        plan.grace_hours = max(1, math.ceil(hours))
        plan.save(update_fields=["grace_hours"])


class Migration(migrations.Migration):
    dependencies = [("sla", "0002_schedules_and_targets")]

    operations = [migrations.RunPython(hours_to_target, target_to_hours)]

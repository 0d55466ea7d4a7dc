"""``grace_hours`` goes: the resolution target (filled by 0003) replaces it, and orders the plans."""

import helpline.sla.models.plans
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sla", "0003_grace_hours_to_resolution_target")]

    operations = [
        migrations.AlterModelOptions(
            name="slaplan",
            options={"ordering": ["resolution_target", "name"], "verbose_name": "SLA plan"},
        ),
        migrations.RemoveField(model_name="slaplan", name="grace_hours"),
        migrations.AlterField(
            model_name="slaplan",
            name="resolution_target",
            field=models.DurationField(
                validators=[helpline.sla.models.plans.validate_target], verbose_name="resolution target"
            ),
        ),
    ]

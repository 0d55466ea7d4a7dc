import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """State only: the column already points at the same table, which now belongs to ``catalog``."""

    dependencies = [("routing", "0002_initial"), ("catalog", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="helptopic",
                    name="priority",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to="catalog.priority"),
                ),
            ],
            database_operations=[],
        ),
    ]

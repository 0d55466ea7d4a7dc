import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """State only: tickets point at the same tables, which now belong to ``catalog``; the models leave."""

    dependencies = [
        ("tickets", "0005_number_index_with_id"),
        ("catalog", "0001_initial"),
        ("routing", "0003_priority_from_catalog"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ticket",
                    name="priority",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="catalog.priority"),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="status",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="catalog.ticketstatus"),
                ),
                migrations.DeleteModel(name="Priority"),
                migrations.DeleteModel(name="TicketStatus"),
            ],
            database_operations=[],
        ),
    ]

"""Priorities and statuses move here from ``tickets`` (which created their tables), so help topics and SLA
plans can name them without a model cycle. Only Django's model state moves in this step; the tables keep
their names until 0002 renames them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("tickets", "0005_number_index_with_id")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Priority",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=40, unique=True)),
                        ("urgency", models.PositiveSmallIntegerField(help_text="Higher is more urgent; sorts queues.", unique=True)),
                        ("color", models.CharField(default="#888888", max_length=7)),
                        ("is_default", models.BooleanField(default=False)),
                    ],
                    options={
                        "verbose_name_plural": "priorities",
                        "ordering": ["-urgency"],
                        "db_table": "tickets_priority",
                    },
                ),
                migrations.CreateModel(
                    name="TicketStatus",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=40, unique=True)),
                        ("state", models.CharField(choices=[("open", "Open"), ("pending", "Pending"), ("resolved", "Resolved"), ("closed", "Closed")], max_length=10)),
                        ("is_default", models.BooleanField(default=False, help_text="The status a ticket gets on entering this state.")),
                        ("sort", models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name_plural": "ticket statuses",
                        "ordering": ["sort", "name"],
                        "db_table": "tickets_ticketstatus",
                        "constraints": [models.UniqueConstraint(condition=models.Q(("is_default", True)), fields=("state",), name="one_default_status_per_state")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

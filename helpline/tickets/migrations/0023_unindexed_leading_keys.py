"""The foreign keys that lead a composite index lose their own index: every ticket and thread entry written
kept both up to date, and the composite index serves every lookup the single one did."""

import django.db.models.deletion
from django.db import migrations, models


# Each single-column index dropped: (name, table, column).
DROPPED = [
    ("tickets_threadentry_ticket_id_b7c75580", "tickets_threadentry", "ticket_id"),
    ("tickets_ticket_assignee_id_3a5aa407", "tickets_ticket", "assignee_id"),
    ("tickets_ticket_department_id_32e39a8e", "tickets_ticket", "department_id"),
    ("tickets_ticket_priority_id_f3f0911d", "tickets_ticket", "priority_id"),
    ("tickets_ticket_requester_id_2072a2f2", "tickets_ticket", "requester_id"),
    ("tickets_ticket_status_id_e7d9f42f", "tickets_ticket", "status_id"),
    ("tickets_ticket_team_id_5a4e7469", "tickets_ticket", "team_id"),
    ("tickets_ticket_topic_id_80564e0d", "tickets_ticket", "topic_id"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_tables_of_their_own'),
        ('people', '0010_unindexed_leading_keys'),
        ('routing', '0007_department_defaults'),
        ('tickets', '0022_search_document_version'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='threadentry',
                    name='ticket',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='tickets.ticket'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='assignee',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assigned_tickets', to='people.agent'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='department',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='tickets', to='people.department'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='priority',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='catalog.priority'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='requester',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='tickets', to='people.requester'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='status',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='catalog.ticketstatus'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='team',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assigned_tickets', to='people.team'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='topic',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, to='routing.helptopic'),
                ),
            ],
            # Only the single-column indexes go (AlterField would rebuild each SQLite table once a field).
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"', reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")'
                )
                for name, table, column in DROPPED
            ],
        ),
    ]

"""A requester's organization loses its own index: requester_organization_name leads with it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0009_department_signature_and_primary_membership'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='requester',
                    name='organization',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, to='people.organization'),
                ),
            ],
            # Only the single-column indexes go (AlterField would rebuild each SQLite table once a field).
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "people_requester_organization_id_6e88ecf4"',
                    reverse_sql='CREATE INDEX "people_requester_organization_id_6e88ecf4" ON "people_requester" ("organization_id")',
                ),
            ],
        ),
    ]

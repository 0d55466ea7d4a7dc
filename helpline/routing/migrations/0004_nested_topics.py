import django.db.models.deletion
from django.db import migrations, models


def fill_full_names(apps, schema_editor):
    """Every topic so far is at the top: its full name is its name."""
    HelpTopic = apps.get_model("routing", "HelpTopic")
    HelpTopic.objects.update(full_name=models.F("name"))


class Migration(migrations.Migration):
    """Nested help topics (a parent, the full name kept in a column and unique instead of the name), the
    status a new ticket gets, and whether the requester gets the confirmation."""

    dependencies = [
        ('catalog', '0002_tables_of_their_own'),
        ('routing', '0003_priority_from_catalog'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='helptopic',
            options={'ordering': ['full_name']},
        ),
        migrations.AddField(
            model_name='helptopic',
            name='auto_response',
            field=models.BooleanField(default=True, help_text='The requester is sent the new-ticket confirmation.'),
        ),
        migrations.AddField(
            model_name='helptopic',
            name='full_name',
            field=models.CharField(default='', editable=False, max_length=500),
        ),
        migrations.AddField(
            model_name='helptopic',
            name='parent',
            field=models.ForeignKey(blank=True, help_text="The topic this one is shown under. Its settings are this topic's own.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='routing.helptopic'),
        ),
        migrations.AddField(
            model_name='helptopic',
            name='status',
            field=models.ForeignKey(blank=True, help_text="The status a new ticket gets (one on the open state). Empty: the open state's default.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.ticketstatus'),
        ),
        migrations.RunPython(fill_full_names, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='helptopic',
            name='full_name',
            field=models.CharField(editable=False, max_length=500),
        ),
        migrations.AlterField(
            model_name='helptopic',
            name='name',
            field=models.CharField(max_length=120),
        ),
        migrations.AddConstraint(
            model_name='helptopic',
            constraint=models.UniqueConstraint(fields=('full_name',), name='help_topic_full_name_unique', violation_error_message='Another topic has this name at the same place (the same parent).'),
        ),
    ]

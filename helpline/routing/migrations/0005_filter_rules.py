import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Filter rules, their conditions and their actions."""

    dependencies = [
        ('catalog', '0002_tables_of_their_own'),
        ('people', '0004_department_reply_address'),
        ('routing', '0004_nested_topics'),
        ('sla', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='FilterRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True)),
                ('order', models.PositiveIntegerField(default=0, help_text='Rules run from the lowest order up.')),
                ('is_active', models.BooleanField(default=True)),
                ('channels', models.JSONField(blank=True, default=list, help_text='Channel codes the rule runs on.')),
                ('on_messages', models.BooleanField(default=False, help_text='Also run on every new message of an existing ticket.')),
                ('match', models.CharField(choices=[('all', 'All conditions match'), ('any', 'Any condition matches')], default='all', max_length=3)),
                ('stop_processing', models.BooleanField(default=False, help_text='When this rule matches, later rules do not run.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='RuleAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('reject', 'Reject (with the reply text, if any)'), ('set_department', 'Set the department'), ('set_topic', 'Set the help topic'), ('set_priority', 'Set the priority'), ('set_sla_plan', 'Set the SLA plan'), ('set_status', 'Set the status'), ('assign_agent', 'Assign to an agent'), ('assign_team', 'Assign to a team'), ('add_collaborator', 'Add a collaborator (the address in the text)'), ('canned_reply', 'Send a canned reply (the text)'), ('suppress_autoreply', 'Send no automatic reply'), ('stop', 'Stop processing later rules')], max_length=20)),
                ('text', models.TextField(blank=True, max_length=20000)),
                ('position', models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                'ordering': ['position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='RuleCondition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(choices=[('sender_email', "Sender's email address"), ('sender_name', "Sender's name"), ('sender_domain', "Sender's domain"), ('subject', 'Subject'), ('body', 'Message text'), ('topic', 'Help topic (its full name)'), ('mailbox', 'Recipient mailbox (its address)'), ('header', 'Email header'), ('custom_field', 'Custom field')], max_length=20)),
                ('key', models.CharField(blank=True, help_text="The header's name (or the custom field's), for those only.", max_length=200)),
                ('operator', models.CharField(choices=[('equals', 'equals'), ('not_equals', 'does not equal'), ('contains', 'contains'), ('not_contains', 'does not contain'), ('starts_with', 'starts with'), ('ends_with', 'ends with'), ('one_of', 'is one of (one per line)'), ('regex', 'matches the regular expression')], max_length=20)),
                ('value', models.TextField(max_length=4000)),
                ('position', models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                'ordering': ['position', 'id'],
            },
        ),
        migrations.AddField(
            model_name='ruleaction',
            name='agent',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.agent'),
        ),
        migrations.AddField(
            model_name='ruleaction',
            name='department',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.department'),
        ),
        migrations.AddField(
            model_name='ruleaction',
            name='priority',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.priority'),
        ),
        migrations.AddField(
            model_name='ruleaction',
            name='rule',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='routing.filterrule'),
        ),
        migrations.AddField(
            model_name='ruleaction',
            name='sla_plan',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sla.slaplan'),
        ),
        migrations.AddField(
            model_name='ruleaction',
            name='status',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.ticketstatus'),
        ),
        migrations.AddField(
            model_name='ruleaction',
            name='team',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.team'),
        ),
        migrations.AddField(
            model_name='ruleaction',
            name='topic',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='routing.helptopic'),
        ),
        migrations.AddField(
            model_name='rulecondition',
            name='rule',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='conditions', to='routing.filterrule'),
        ),
    ]

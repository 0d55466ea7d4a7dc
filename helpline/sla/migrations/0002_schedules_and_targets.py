"""Schedules (spans, holidays), and SLA plans' targets, per-priority targets and escalation steps.

The resolution target is nullable here only until 0003 fills it from grace_hours."""

import django.core.validators
import django.db.models.deletion
import helpline.sla.models.plans
import helpline.sla.models.schedules
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_tables_of_their_own'),
        ('people', '0004_department_reply_address'),
        ('sla', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Schedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True)),
                ('time_zone', models.CharField(help_text='The IANA zone the hours and holidays are in, e.g. Europe/Berlin.', max_length=64, validators=[helpline.sla.models.schedules.validate_zone_name])),
                ('is_24x7', models.BooleanField(default=False, help_text='Open around the clock every day; the spans are not used.', verbose_name='24x7')),
                ('country', models.CharField(blank=True, help_text="Closed on this country's public holidays (ISO code, e.g. DE). Blank: none.", max_length=3, validators=[helpline.sla.models.schedules.validate_country])),
                ('subdivision', models.CharField(blank=True, help_text="A state or region's holidays too, e.g. BY for Bavaria.", max_length=10)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        # Kept until 0003 has moved its hours to resolution_target; 0004 removes it.
        migrations.AlterField(
            model_name='slaplan',
            name='grace_hours',
            field=models.PositiveIntegerField(null=True, validators=[django.core.validators.MinValueValidator(1)]),
        ),
        migrations.AddField(
            model_name='slaplan',
            name='first_response_target',
            field=models.DurationField(blank=True, help_text='Blank: no first-response target.', null=True, validators=[helpline.sla.models.plans.validate_target], verbose_name='first-response target'),
        ),
        migrations.AddField(
            model_name='slaplan',
            name='pause_when_pending',
            field=models.BooleanField(default=True, help_text='While a ticket waits for its requester, the time does not count.', verbose_name='stop the clock while pending'),
        ),
        migrations.AddField(
            model_name='slaplan',
            name='resolution_target',
            field=models.DurationField(null=True, validators=[helpline.sla.models.plans.validate_target], verbose_name='resolution target'),
        ),
        migrations.AddField(
            model_name='slaplan',
            name='warn_percent',
            field=models.PositiveSmallIntegerField(blank=True, help_text='E.g. 75: a warning when three quarters of a target have passed. Blank: no warning.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(99)], verbose_name='warning at (percent of the target)'),
        ),
        migrations.CreateModel(
            name='EscalationStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('target', models.CharField(choices=[('first_response', 'First response'), ('resolution', 'Resolution')], max_length=20)),
                ('trigger', models.CharField(choices=[('warning', 'On warning'), ('breach', 'On breach')], max_length=10, verbose_name='when')),
                ('action', models.CharField(choices=[('raise_priority', 'Raise the priority one step'), ('set_priority', 'Set the priority to'), ('assign_agent', 'Assign to an agent'), ('assign_team', 'Assign to a team'), ('transfer', 'Transfer to a department')], max_length=20)),
                ('sort', models.PositiveSmallIntegerField(default=0, help_text='Steps of one moment apply in this order.')),
                ('agent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.agent')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.department')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='escalation_steps', to='sla.slaplan')),
                ('priority', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.priority')),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.team')),
            ],
            options={
                'verbose_name': 'escalation step',
                'ordering': ['plan', 'target', 'trigger', 'sort', 'id'],
            },
        ),
        migrations.AddField(
            model_name='slaplan',
            name='schedule',
            field=models.ForeignKey(blank=True, help_text='The hours the clock runs in. Blank: 24x7, wall-clock time.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='sla.schedule'),
        ),
        migrations.CreateModel(
            name='ScheduleSpan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('weekday', models.PositiveSmallIntegerField(choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')])),
                ('start', models.TimeField()),
                ('end', models.TimeField()),
                ('schedule', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='spans', to='sla.schedule')),
            ],
            options={
                'ordering': ['weekday', 'start'],
            },
        ),
        migrations.CreateModel(
            name='Holiday',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100)),
                ('date', models.DateField(blank=True, null=True)),
                ('month', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(12)])),
                ('day', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(31)])),
                ('schedule', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='holidays', to='sla.schedule')),
            ],
            options={
                'ordering': ['month', 'day', 'date', 'name'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('date__isnull', False), ('day__isnull', True), ('month__isnull', True)), models.Q(('date__isnull', True), ('day__isnull', False), ('month__isnull', False)), _connector='OR'), name='holiday_date_or_yearly')],
            },
        ),
        migrations.CreateModel(
            name='SLATarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_response', models.DurationField(blank=True, null=True, validators=[helpline.sla.models.plans.validate_target], verbose_name='first-response target')),
                ('resolution', models.DurationField(blank=True, null=True, validators=[helpline.sla.models.plans.validate_target], verbose_name='resolution target')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='sla.slaplan')),
                ('priority', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.priority')),
            ],
            options={
                'verbose_name': 'SLA target',
                'ordering': ['plan', '-priority__urgency'],
                'constraints': [models.UniqueConstraint(fields=('plan', 'priority'), name='one_target_per_priority')],
            },
        ),
    ]

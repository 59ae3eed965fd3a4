
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0003_maintain_search_vector'),
        ('networks', '0003_add_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='initiative',
            options={'ordering': ['-started_on', 'title'], 'permissions': [('publish_initiative', 'Can publish and unpublish initiatives')], 'verbose_name': 'initiative', 'verbose_name_plural': 'initiatives'},
        ),
        migrations.CreateModel(
            name='HistoricalCrisis',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('slug', models.SlugField(max_length=100, verbose_name='slug')),
                ('description', models.TextField(blank=True, default='', verbose_name='description')),
                ('started_on', models.DateField(blank=True, null=True, verbose_name='started on')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='ended on')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical crisis',
                'verbose_name_plural': 'historical crises',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalInitiative',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('slug', models.SlugField(max_length=100, verbose_name='slug')),
                ('summary', models.CharField(help_text='One or two sentences shown in lists.', max_length=300, verbose_name='summary')),
                ('description', models.TextField(blank=True, default='', verbose_name='description')),
                ('other_organisations', models.CharField(blank=True, default='', help_text='Organisers and partners that are not in the directory.', max_length=300, verbose_name='other organisations')),
                ('kind', models.CharField(choices=[('skills-based-volunteering', 'Skills-based volunteering'), ('legal-advice', 'Legal advice'), ('psychological-support', 'Psychological support'), ('advocacy-campaign', 'Advocacy campaign'), ('in-kind-production', 'In-kind production'), ('hackathon', 'Hackathon'), ('matching-platform', 'Matching platform'), ('capacity-building', 'Capacity building'), ('knowledge-sharing', 'Knowledge sharing'), ('coalition', 'Coalition'), ('convening', 'Convening'), ('awareness-campaign', 'Awareness campaign')], max_length=40, verbose_name='kind of engagement')),
                ('started_on', models.DateField(blank=True, null=True, verbose_name='start date')),
                ('start_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', max_length=5, verbose_name='start date precision')),
                ('ended_on', models.DateField(blank=True, help_text='Leave empty while it is ongoing.', null=True, verbose_name='end date')),
                ('end_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', max_length=5, verbose_name='end date precision')),
                ('volunteers', models.PositiveIntegerField(blank=True, null=True, verbose_name='volunteers')),
                ('participants', models.PositiveIntegerField(blank=True, null=True, verbose_name='participants')),
                ('beneficiaries', models.PositiveIntegerField(blank=True, null=True, verbose_name='beneficiaries')),
                ('figures_note', models.CharField(blank=True, default='', max_length=300, verbose_name='about the figures')),
                ('website', models.URLField(blank=True, default='', verbose_name='website')),
                ('source_url', models.URLField(blank=True, default='', help_text='Where the facts come from.', verbose_name='source link')),
                ('last_verified_on', models.DateField(blank=True, null=True, verbose_name='facts last verified on')),
                ('language', models.CharField(choices=[('en', 'English'), ('fr', 'French')], default='en', help_text='Search stems words by the rules of this language.', max_length=2, verbose_name='language of the entry')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', max_length=10, verbose_name='status')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='first published at')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('crisis', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.crisis', verbose_name='crisis')),
                ('facilitator', models.ForeignKey(blank=True, db_constraint=False, help_text='The facilitator that leads it, if it is in the directory.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='networks.facilitator', verbose_name='run by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('network', models.ForeignKey(blank=True, db_constraint=False, help_text='Set when a network as a whole runs it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='networks.network', verbose_name='run by network')),
            ],
            options={
                'verbose_name': 'historical initiative',
                'verbose_name_plural': 'historical initiatives',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalInitiative_countries',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('country', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='networks.country')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='initiatives.historicalinitiative')),
                ('initiative', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.initiative')),
            ],
            options={
                'verbose_name': 'HistoricalInitiative_countries',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalInitiative_partners',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('facilitator', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='networks.facilitator')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='initiatives.historicalinitiative')),
                ('initiative', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.initiative')),
            ],
            options={
                'verbose_name': 'HistoricalInitiative_partners',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalInitiative_sectors',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='initiatives.historicalinitiative')),
                ('initiative', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.initiative')),
                ('sector', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.sector')),
            ],
            options={
                'verbose_name': 'HistoricalInitiative_sectors',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSector',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('slug', models.SlugField(max_length=100, verbose_name='slug')),
                ('description', models.TextField(blank=True, default='', verbose_name='description')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical sector',
                'verbose_name_plural': 'historical sectors',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]

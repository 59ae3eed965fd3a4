
import django.db.models.deletion
import taggit.managers
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('networks', '0001_initial'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='Sector',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('slug', models.SlugField(max_length=100, unique=True, verbose_name='slug')),
                ('description', models.TextField(blank=True, default='', verbose_name='description')),
            ],
            options={
                'verbose_name': 'sector',
                'verbose_name_plural': 'sectors',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Crisis',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('slug', models.SlugField(max_length=100, unique=True, verbose_name='slug')),
                ('description', models.TextField(blank=True, default='', verbose_name='description')),
                ('started_on', models.DateField(blank=True, null=True, verbose_name='started on')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='ended on')),
            ],
            options={
                'verbose_name': 'crisis',
                'verbose_name_plural': 'crises',
                'ordering': ['-started_on', 'name'],
                'constraints': [models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('started_on__isnull', True), ('ended_on__gte', models.F('started_on')), _connector='OR'), name='crisis_ends_after_start', violation_error_message='A crisis cannot end before it starts.')],
            },
        ),
        migrations.CreateModel(
            name='Initiative',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('slug', models.SlugField(max_length=100, unique=True, verbose_name='slug')),
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
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', max_length=10, verbose_name='status')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='first published at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('countries', models.ManyToManyField(related_name='initiatives', to='networks.country', verbose_name='countries')),
                ('crisis', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='initiatives', to='initiatives.crisis', verbose_name='crisis')),
                ('facilitator', models.ForeignKey(blank=True, help_text='The facilitator that leads it, if it is in the directory.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='initiatives', to='networks.facilitator', verbose_name='run by')),
                ('network', models.ForeignKey(blank=True, help_text='Set when a network as a whole runs it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='initiatives', to='networks.network', verbose_name='run by network')),
                ('partners', models.ManyToManyField(blank=True, related_name='partner_initiatives', to='networks.facilitator', verbose_name='partner facilitators')),
                ('sectors', models.ManyToManyField(blank=True, related_name='initiatives', to='initiatives.sector', verbose_name='sectors')),
            ],
            options={
                'verbose_name': 'initiative',
                'verbose_name_plural': 'initiatives',
                'ordering': ['-started_on', 'title'],
            },
        ),
        migrations.CreateModel(
            name='TaggedInitiative',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='initiatives.initiative')),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='taggit.tag')),
            ],
            options={
                'verbose_name': 'tagged initiative',
                'verbose_name_plural': 'tagged initiatives',
            },
        ),
        migrations.AddField(
            model_name='initiative',
            name='tags',
            field=taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='initiatives.TaggedInitiative', to='taggit.Tag', verbose_name='tags'),
        ),
        migrations.AddConstraint(
            model_name='taggedinitiative',
            constraint=models.UniqueConstraint(fields=('content_object', 'tag'), name='initiative_tag_once'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('started_on__isnull', True), ('ended_on__gte', models.F('started_on')), _connector='OR'), name='initiative_ends_after_start', violation_error_message='The end date cannot be before the start date.'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'published'])), name='initiative_status_known'),
        ),
    ]

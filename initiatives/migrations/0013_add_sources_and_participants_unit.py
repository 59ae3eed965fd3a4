import django.db.models.deletion
import networks.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0012_published_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalinitiative',
            name='participants_unit',
            field=models.CharField(choices=[('participants', 'participants'), ('signatures', 'signatures'), ('registrations', 'registrations'), ('attendees', 'attendees'), ('members', 'members'), ('organisations', 'organisations')], db_default='participants', default='participants', help_text='What the participants figure counts: 10,000 signatures, 330 registrations.', max_length=20, verbose_name='participants counted as'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='participants_unit',
            field=models.CharField(choices=[('participants', 'participants'), ('signatures', 'signatures'), ('registrations', 'registrations'), ('attendees', 'attendees'), ('members', 'members'), ('organisations', 'organisations')], db_default='participants', default='participants', help_text='What the participants figure counts: 10,000 signatures, 330 registrations.', max_length=20, verbose_name='participants counted as'),
        ),
        migrations.CreateModel(
            name='HistoricalSource',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('url', models.URLField(max_length=500, verbose_name='address')),
                ('title', models.CharField(blank=True, default='', help_text="As the page gives it; the site's name is shown when empty.", max_length=300, verbose_name='title')),
                ('publisher', models.CharField(blank=True, default='', max_length=200, verbose_name='publisher')),
                ('published_on', models.DateField(blank=True, help_text='Leave empty when unknown.', null=True, verbose_name='published on')),
                ('accessed_on', models.DateField(verbose_name='accessed on')),
                ('is_primary', models.BooleanField(default=False, help_text='The source most of the facts come from.', verbose_name='primary')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.initiative', verbose_name='initiative')),
            ],
            options={
                'verbose_name': 'historical source',
                'verbose_name_plural': 'historical sources',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(max_length=500, verbose_name='address')),
                ('title', models.CharField(blank=True, default='', help_text="As the page gives it; the site's name is shown when empty.", max_length=300, verbose_name='title')),
                ('publisher', models.CharField(blank=True, default='', max_length=200, verbose_name='publisher')),
                ('published_on', models.DateField(blank=True, help_text='Leave empty when unknown.', null=True, verbose_name='published on')),
                ('accessed_on', models.DateField(verbose_name='accessed on')),
                ('is_primary', models.BooleanField(default=False, help_text='The source most of the facts come from.', verbose_name='primary')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sources', to='initiatives.initiative', verbose_name='initiative')),
            ],
            options={
                'verbose_name': 'source',
                'verbose_name_plural': 'sources',
                'ordering': ['order', 'pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('is_primary', True)), fields=('initiative',), name='source_one_primary_per_initiative', violation_error_message='An initiative has only one primary source.'), models.CheckConstraint(condition=models.Q(('url__istartswith', 'http://'), ('url__istartswith', 'https://'), _connector='OR'), name='source_url_is_web_link', violation_error_message='Enter a web address starting with http:// or https://.')],
            },
            bases=(networks.models.WebLinks, models.Model),
        ),
    ]

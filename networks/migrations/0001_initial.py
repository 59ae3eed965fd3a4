
import django.core.validators
import django.db.models.deletion
import django_countries.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Network',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('slug', models.SlugField(max_length=100, unique=True, verbose_name='slug')),
                ('acronym', models.CharField(blank=True, default='', max_length=20, verbose_name='acronym')),
                ('description', models.TextField(blank=True, default='', verbose_name='description')),
                ('website', models.URLField(blank=True, default='', verbose_name='website')),
                ('founded_year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1800), django.core.validators.MaxValueValidator(2100)], verbose_name='founding year')),
                ('headquarters_country', django_countries.fields.CountryField(blank=True, default='', help_text='Leave empty for a network without headquarters.', max_length=2, verbose_name='headquarters country')),
                ('headquarters_city', models.CharField(blank=True, default='', max_length=100, verbose_name='headquarters city')),
            ],
            options={
                'verbose_name': 'network',
                'verbose_name_plural': 'networks',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Country',
            fields=[
                ('code', models.CharField(max_length=2, primary_key=True, serialize=False, verbose_name='ISO code')),
            ],
            options={
                'verbose_name': 'country',
                'verbose_name_plural': 'countries',
                'ordering': ['code'],
                'constraints': [models.CheckConstraint(condition=models.Q(('code__regex', '^[A-Z]{2}$')), name='country_code_iso')],
            },
        ),
        migrations.CreateModel(
            name='Facilitator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('slug', models.SlugField(max_length=100, unique=True, verbose_name='slug')),
                ('acronym', models.CharField(blank=True, default='', max_length=20, verbose_name='acronym')),
                ('description', models.TextField(blank=True, default='', verbose_name='description')),
                ('website', models.URLField(blank=True, default='', verbose_name='website')),
                ('founded_year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1800), django.core.validators.MaxValueValidator(2100)], verbose_name='founding year')),
                ('headquarters_country', django_countries.fields.CountryField(blank=True, default='', max_length=2, verbose_name='headquarters country')),
                ('city', models.CharField(blank=True, default='', max_length=100, verbose_name='city')),
                ('is_active', models.BooleanField(default=True, help_text='Untick when the organisation has closed; its record stays in the directory.', verbose_name='still active')),
                ('closed_year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1800), django.core.validators.MaxValueValidator(2100)], verbose_name='year closed')),
                ('countries', models.ManyToManyField(blank=True, related_name='facilitators', to='networks.country', verbose_name='countries of operation')),
            ],
            options={
                'verbose_name': 'facilitator',
                'verbose_name_plural': 'facilitators',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('joined_year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1800), django.core.validators.MaxValueValidator(2100)], verbose_name='year joined')),
                ('facilitator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='networks.facilitator')),
                ('network', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='networks.network')),
            ],
            options={
                'verbose_name': 'membership',
                'verbose_name_plural': 'memberships',
                'ordering': ['network__name', 'facilitator__name'],
            },
        ),
        migrations.AddField(
            model_name='facilitator',
            name='networks',
            field=models.ManyToManyField(blank=True, related_name='facilitators', through='networks.Membership', to='networks.network', verbose_name='networks'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(fields=('facilitator', 'network'), name='membership_once_per_network', violation_error_message='This organisation is already a member of that network.'),
        ),
        migrations.AddConstraint(
            model_name='facilitator',
            constraint=models.CheckConstraint(condition=models.Q(('closed_year__isnull', True), ('is_active', False), _connector='OR'), name='facilitator_closed_means_inactive', violation_error_message='An organisation with a closing year cannot be active.'),
        ),
        migrations.AddConstraint(
            model_name='facilitator',
            constraint=models.CheckConstraint(condition=models.Q(('closed_year__isnull', True), ('founded_year__isnull', True), ('closed_year__gte', models.F('founded_year')), _connector='OR'), name='facilitator_closed_after_founded', violation_error_message='The closing year cannot be before the founding year.'),
        ),
    ]

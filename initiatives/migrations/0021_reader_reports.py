import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITORS = "Editors"
# Editors moderate what readers send: they read corrections and proposals and decide on them.
CODENAMES = ["view_correction", "change_correction", "view_proposal", "change_proposal"]


def let_editors_moderate(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("initiatives")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="initiatives", codename__in=CODENAMES)
    )


def take_moderation_from_editors(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=EDITORS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="initiatives", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0020_link_checks_and_archived_copies'),
        ('networks', '0007_verified_by_whom_and_how'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name='Correction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(blank=True, default='', help_text='Optional. Seen by the editors only, and forgotten after 12 months.', max_length=254, verbose_name='email for a reply')),
                ('language', models.CharField(choices=[('en', 'English'), ('fr', 'Français')], default='en', max_length=2, verbose_name='language of the reader')),
                ('status', models.CharField(choices=[('new', 'New'), ('accepted', 'Accepted'), ('rejected', 'Rejected'), ('spam', 'Spam')], db_default='new', default='new', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='received at')),
                ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='handled at')),
                ('part', models.CharField(choices=[('name', 'Name or title'), ('summary', 'Summary or description'), ('organisations', 'Who runs it'), ('places', 'Countries or places'), ('dates', 'Dates'), ('figures', 'Figures'), ('links', 'Website or sources'), ('other', 'Something else')], max_length=20, verbose_name='what part is wrong')),
                ('problem', models.CharField(max_length=2000, verbose_name='what is wrong')),
                ('correction', models.CharField(max_length=2000, verbose_name='the correct information')),
                ('evidence_url', models.URLField(blank=True, default='', help_text='A page that shows the correct information.', max_length=500, verbose_name='evidence link')),
                ('applied_field', models.CharField(blank=True, default='', max_length=50, verbose_name='field applied')),
                ('applied_value', models.CharField(blank=True, default='', max_length=2000, verbose_name='value applied')),
                ('applied', models.BooleanField(db_default=False, default=False, verbose_name='applied to the entry')),
                ('facilitator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='corrections', to='networks.facilitator', verbose_name='facilitator')),
                ('handled_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by')),
                ('initiative', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='corrections', to='initiatives.initiative', verbose_name='initiative')),
                ('network', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='corrections', to='networks.network', verbose_name='network')),
            ],
            options={
                'verbose_name': 'correction',
                'verbose_name_plural': 'corrections',
                'ordering': [models.OrderBy(models.Case(models.When(status='new', then=models.Value(0)), default=models.Value(1))), '-created_at'],
                'indexes': [models.Index(fields=['status', '-created_at'], name='correction_queue')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('facilitator__isnull', True), ('initiative__isnull', False), ('network__isnull', True)), models.Q(('facilitator__isnull', False), ('initiative__isnull', True), ('network__isnull', True)), models.Q(('facilitator__isnull', True), ('initiative__isnull', True), ('network__isnull', False)), _connector='OR'), name='correction_has_one_target', violation_error_message='A correction is about one initiative, facilitator or network.'), models.CheckConstraint(condition=models.Q(('status__in', ['new', 'accepted', 'rejected', 'spam'])), name='correction_status_known')],
            },
        ),
        migrations.CreateModel(
            name='Proposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(blank=True, default='', help_text='Optional. Seen by the editors only, and forgotten after 12 months.', max_length=254, verbose_name='email for a reply')),
                ('language', models.CharField(choices=[('en', 'English'), ('fr', 'Français')], default='en', max_length=2, verbose_name='language of the reader')),
                ('status', models.CharField(choices=[('new', 'New'), ('accepted', 'Accepted'), ('rejected', 'Rejected'), ('spam', 'Spam')], db_default='new', default='new', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='received at')),
                ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='handled at')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('summary', models.CharField(help_text='One or two sentences: who did what, for whom.', max_length=300, verbose_name='summary')),
                ('description', models.CharField(blank=True, default='', max_length=2000, verbose_name='more details')),
                ('kind', models.CharField(blank=True, choices=[('skills-based-volunteering', 'Skills-based volunteering'), ('legal-advice', 'Legal advice'), ('psychological-support', 'Psychological support'), ('advocacy-campaign', 'Advocacy campaign'), ('in-kind-production', 'In-kind production'), ('hackathon', 'Hackathon'), ('matching-platform', 'Matching platform'), ('capacity-building', 'Capacity building'), ('knowledge-sharing', 'Knowledge sharing'), ('coalition', 'Coalition'), ('convening', 'Convening'), ('awareness-campaign', 'Awareness campaign')], default='', max_length=40, verbose_name='kind of engagement')),
                ('source_url', models.URLField(help_text='A page that describes the initiative.', max_length=500, verbose_name='source')),
                ('facilitator_name', models.CharField(blank=True, default='', max_length=200, verbose_name='organisation that ran it')),
                ('facilitator_website', models.URLField(blank=True, default='', max_length=500, verbose_name='its website')),
                ('started_on', models.DateField(blank=True, null=True, verbose_name='start date')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='end date')),
                ('countries', models.ManyToManyField(blank=True, related_name='+', to='networks.country', verbose_name='countries')),
                ('draft', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='proposals', to='initiatives.initiative', verbose_name='draft made of it')),
                ('handled_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by')),
            ],
            options={
                'verbose_name': 'proposed initiative',
                'verbose_name_plural': 'proposed initiatives',
                'ordering': [models.OrderBy(models.Case(models.When(status='new', then=models.Value(0)), default=models.Value(1))), '-created_at'],
                'indexes': [models.Index(fields=['status', '-created_at'], name='proposal_queue')],
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['new', 'accepted', 'rejected', 'spam'])), name='proposal_status_known')],
            },
        ),
        migrations.RunPython(let_editors_moderate, take_moderation_from_editors),
    ]

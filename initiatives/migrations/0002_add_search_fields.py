
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0001_initial'),
        ('networks', '0002_load_countries'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.AddField(
            model_name='initiative',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('fr', 'French')], default='en', help_text='Search stems words by the rules of this language.', max_length=2, verbose_name='language of the entry'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='search_document',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='initiative',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('facilitator__isnull', True), ('network__isnull', True), _connector='OR'), name='initiative_run_by_facilitator_or_network', violation_error_message='An initiative is run either by a facilitator or by a network, not both.'),
        ),
    ]

from django.db import migrations, models

# What was written so far is English: it becomes the English version, of the history too.
FIELDS = {'Sector': ['name', 'description'], 'Crisis': ['name', 'description'], 'Initiative': ['title', 'summary', 'description']}


def copy_to_english(apps, schema_editor):
    for name, fields in FIELDS.items():
        for model_name in (name, f"Historical{name}"):
            model = apps.get_model("initiatives", model_name)
            model.objects.update(**{f"{field}_en": models.F(field) for field in fields})


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0006_add_listing_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='crisis',
            name='description_en',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='crisis',
            name='description_fr',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='crisis',
            name='name_en',
            field=models.CharField(max_length=200, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='crisis',
            name='name_fr',
            field=models.CharField(max_length=200, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalcrisis',
            name='description_en',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalcrisis',
            name='description_fr',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalcrisis',
            name='name_en',
            field=models.CharField(max_length=200, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalcrisis',
            name='name_fr',
            field=models.CharField(max_length=200, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalinitiative',
            name='description_en',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalinitiative',
            name='description_fr',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalinitiative',
            name='summary_en',
            field=models.CharField(help_text='One or two sentences shown in lists.', max_length=300, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='historicalinitiative',
            name='summary_fr',
            field=models.CharField(help_text='One or two sentences shown in lists.', max_length=300, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='historicalinitiative',
            name='title_en',
            field=models.CharField(max_length=200, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='historicalinitiative',
            name='title_fr',
            field=models.CharField(max_length=200, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='historicalsector',
            name='description_en',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalsector',
            name='description_fr',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalsector',
            name='name_en',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalsector',
            name='name_fr',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='description_en',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='description_fr',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='summary_en',
            field=models.CharField(help_text='One or two sentences shown in lists.', max_length=300, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='summary_fr',
            field=models.CharField(help_text='One or two sentences shown in lists.', max_length=300, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='title_en',
            field=models.CharField(max_length=200, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='title_fr',
            field=models.CharField(max_length=200, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='sector',
            name='description_en',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='sector',
            name='description_fr',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='sector',
            name='name_en',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='sector',
            name='name_fr',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='historicalinitiative',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('fr', 'French')], default='en', help_text='The language it was first written in; search stems its tags and organisation names by the rules of this language.', max_length=2, verbose_name='language of the entry'),
        ),
        migrations.AlterField(
            model_name='initiative',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('fr', 'French')], default='en', help_text='The language it was first written in; search stems its tags and organisation names by the rules of this language.', max_length=2, verbose_name='language of the entry'),
        ),
        migrations.RunPython(copy_to_english, migrations.RunPython.noop),
    ]

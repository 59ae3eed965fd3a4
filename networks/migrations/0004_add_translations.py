from django.db import migrations, models

# What was written so far is English: it becomes the English version, of the history too.
FIELDS = {'Network': ['description'], 'Facilitator': ['description']}


def copy_to_english(apps, schema_editor):
    for name, fields in FIELDS.items():
        for model_name in (name, f"Historical{name}"):
            model = apps.get_model("networks", model_name)
            model.objects.update(**{f"{field}_en": models.F(field) for field in fields})


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0003_add_history'),
    ]

    operations = [
        migrations.AddField(
            model_name='facilitator',
            name='description_en',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='facilitator',
            name='description_fr',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalfacilitator',
            name='description_en',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalfacilitator',
            name='description_fr',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalnetwork',
            name='description_en',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalnetwork',
            name='description_fr',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='network',
            name='description_en',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='network',
            name='description_fr',
            field=models.TextField(blank=True, default='', null=True, verbose_name='description'),
        ),
        migrations.RunPython(copy_to_english, migrations.RunPython.noop),
    ]

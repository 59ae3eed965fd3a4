from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0009_filter_indexes_and_statistics'),
    ]

    operations = [
        migrations.AddField(
            model_name='crisis',
            name='revision',
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Raised by every save, so that no edit overwrites another.', verbose_name='revision'),
        ),
        migrations.AddField(
            model_name='historicalcrisis',
            name='revision',
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Raised by every save, so that no edit overwrites another.', verbose_name='revision'),
        ),
        migrations.AddField(
            model_name='historicalinitiative',
            name='revision',
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Raised by every save, so that no edit overwrites another.', verbose_name='revision'),
        ),
        migrations.AddField(
            model_name='historicalsector',
            name='revision',
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Raised by every save, so that no edit overwrites another.', verbose_name='revision'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='revision',
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Raised by every save, so that no edit overwrites another.', verbose_name='revision'),
        ),
        migrations.AddField(
            model_name='sector',
            name='revision',
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Raised by every save, so that no edit overwrites another.', verbose_name='revision'),
        ),
    ]

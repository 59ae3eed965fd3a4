from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0004_add_translations'),
    ]

    operations = [
        migrations.AddField(
            model_name='facilitator',
            name='revision',
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Raised by every save, so that no edit overwrites another.', verbose_name='revision'),
        ),
        migrations.AddField(
            model_name='historicalfacilitator',
            name='revision',
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Raised by every save, so that no edit overwrites another.', verbose_name='revision'),
        ),
        migrations.AddField(
            model_name='historicalnetwork',
            name='revision',
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Raised by every save, so that no edit overwrites another.', verbose_name='revision'),
        ),
        migrations.AddField(
            model_name='network',
            name='revision',
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Raised by every save, so that no edit overwrites another.', verbose_name='revision'),
        ),
    ]

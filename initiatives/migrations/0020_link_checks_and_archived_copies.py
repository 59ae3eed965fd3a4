from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0019_verified_by_whom_and_how'),
    ]

    operations = [
        migrations.CreateModel(
            name='Lease',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True)),
                ('holder', models.CharField(blank=True, default='', max_length=32)),
                ('expires_at', models.DateTimeField()),
            ],
        ),
        migrations.AddField(
            model_name='source',
            name='archive_checked_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='archived copy last looked for'),
        ),
        migrations.AddField(
            model_name='source',
            name='archive_url',
            field=models.URLField(blank=True, db_default='', default='', max_length=2000, verbose_name='archived copy'),
        ),
        migrations.AddField(
            model_name='source',
            name='archived_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='archived on'),
        ),
        migrations.AddField(
            model_name='source',
            name='capture_requested_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='capture requested'),
        ),
        migrations.AddField(
            model_name='source',
            name='checked_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='last checked'),
        ),
        migrations.AddField(
            model_name='source',
            name='failure_count',
            field=models.PositiveSmallIntegerField(db_default=0, default=0, help_text='Failures at least three days apart; three make the link dead.', verbose_name='failures counted'),
        ),
        migrations.AddField(
            model_name='source',
            name='final_url',
            field=models.URLField(blank=True, db_default='', default='', max_length=2000, verbose_name='address after redirects'),
        ),
        migrations.AddField(
            model_name='source',
            name='first_failure_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='first failure'),
        ),
        migrations.AddField(
            model_name='source',
            name='http_status',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='HTTP status'),
        ),
        migrations.AddField(
            model_name='source',
            name='last_error',
            field=models.CharField(blank=True, db_default='', default='', max_length=200, verbose_name='last error'),
        ),
        migrations.AddField(
            model_name='source',
            name='last_failure_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='last failure counted'),
        ),
        migrations.AddField(
            model_name='source',
            name='last_live_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='last found live'),
        ),
        migrations.AddField(
            model_name='source',
            name='link_status',
            field=models.CharField(choices=[('unchecked', 'Not checked yet'), ('live', 'Live'), ('redirected', 'Live, at another address'), ('refused', 'Refused the checker'), ('failing', 'Failing'), ('dead', 'Dead'), ('unreachable', 'Not checked: no connection')], db_default='unchecked', default='unchecked', max_length=12, verbose_name='link'),
        ),
        migrations.AddField(
            model_name='source',
            name='next_check_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='next check'),
        ),
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['next_check_at'], name='source_next_check_idx'),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0010_add_revisions'),
        ('networks', '0005_add_revisions'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='FacetIndexQueue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative_id', models.BigIntegerField(null=True)),
            ],
        ),
        migrations.CreateModel(
            name='FacetIndexState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveBigIntegerField(default=0)),
                ('rebuilt', models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='FacetSet',
            fields=[
                ('key', models.CharField(max_length=150, primary_key=True, serialize=False)),
                ('members', models.BinaryField()),
                ('revision', models.PositiveBigIntegerField(db_index=True)),
            ],
        ),
        migrations.AddIndex(
            model_name='initiative',
            index=models.Index(models.OrderBy(models.F('published_at'), descending=True), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('status', 'published')), name='initiative_published_latest'),
        ),
    ]

from django.db import migrations, models


def links_from_sources(apps, schema_editor):
    """Undone, the link column holds each primary source's address again (as 0014's reverse),
    so that stepping back one migration loses nothing."""
    Initiative = apps.get_model("initiatives", "Initiative")
    Source = apps.get_model("initiatives", "Source")
    for initiative_id, url in Source.objects.filter(is_primary=True).values_list(
        "initiative", "url"
    ):
        Initiative.objects.filter(pk=initiative_id).update(source_url=url)


def link_field():
    return models.URLField(
        blank=True,
        default="",
        db_default="",
        help_text="Where the facts come from.",
        verbose_name="source link",
    )


class Migration(migrations.Migration):
    """The code stops reading the link column; the column stays until the next release.

    During a deploy the previous code still reads and writes it, so it is only left out of the
    models here, with a database default for the rows the new code inserts without it; a later
    migration drops it, once no running code knows it (docs/changes.md).
    """

    dependencies = [
        ("initiatives", "0014_move_source_urls_to_sources"),
    ]

    operations = [
        # Run last when undone.
        migrations.RunPython(migrations.RunPython.noop, links_from_sources),
        migrations.AlterField(model_name="initiative", name="source_url", field=link_field()),
        migrations.AlterField(
            model_name="historicalinitiative", name="source_url", field=link_field()
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="historicalinitiative", name="source_url"),
                migrations.RemoveField(model_name="initiative", name="source_url"),
            ]
        ),
    ]

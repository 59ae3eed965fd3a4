from django.db import migrations


def sources_from_links(apps, schema_editor):
    """Each initiative's source link becomes its primary source, accessed when its facts were
    last verified, or else when it was last saved."""
    Initiative = apps.get_model("initiatives", "Initiative")
    Source = apps.get_model("initiatives", "Source")
    linked = Initiative.objects.exclude(source_url="").exclude(sources__is_primary=True)
    Source.objects.bulk_create(
        Source(
            initiative_id=pk,
            url=url,
            accessed_on=verified or updated.date(),
            is_primary=True,
        )
        for pk, url, verified, updated in linked.values_list(
            "pk", "source_url", "last_verified_on", "updated_at"
        ).iterator()
    )


def links_from_sources(apps, schema_editor):
    """Each initiative's source link is its primary source's address again; its other sources
    stay, for a migration forward."""
    Initiative = apps.get_model("initiatives", "Initiative")
    Source = apps.get_model("initiatives", "Source")
    for initiative_id, url in Source.objects.filter(is_primary=True).values_list(
        "initiative", "url"
    ):
        Initiative.objects.filter(pk=initiative_id).update(source_url=url)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0013_add_sources_and_participants_unit"),
    ]

    operations = [
        migrations.RunPython(sources_from_links, links_from_sources),
    ]

from django.db import migrations


def links_from_sources(apps, schema_editor):
    """Undone, the link column comes back holding each primary source's address (as 0014's
    reverse), so that stepping back one migration loses nothing."""
    Initiative = apps.get_model("initiatives", "Initiative")
    Source = apps.get_model("initiatives", "Source")
    for initiative_id, url in Source.objects.filter(is_primary=True).values_list(
        "initiative", "url"
    ):
        Initiative.objects.filter(pk=initiative_id).update(source_url=url)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0014_move_source_urls_to_sources"),
    ]

    operations = [
        # Run last when undone: after the column is back.
        migrations.RunPython(migrations.RunPython.noop, links_from_sources),
        migrations.RemoveField(model_name="historicalinitiative", name="source_url"),
        migrations.RemoveField(model_name="initiative", name="source_url"),
    ]

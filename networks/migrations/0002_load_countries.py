from django.db import migrations
from django_countries import countries


def create_countries(apps, schema_editor):
    Country = apps.get_model("networks", "Country")
    Country.objects.bulk_create(
        [Country(code=code) for code in countries.countries], ignore_conflicts=True
    )


def delete_unused_countries(apps, schema_editor):
    Country = apps.get_model("networks", "Country")
    Country.objects.filter(facilitators=None, initiatives=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0001_initial"),
        ("initiatives", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_countries, delete_unused_countries)]

from django.db import migrations

# The rows TechEmpower's "fortunes" test defines, markup and all: the page must escape them.
FORTUNES = [
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. — Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    '<script>alert("This should not be displayed in a browser alert box.");</script>',
    "フレームワークのベンチマーク",
]


def add_fortunes(apps, schema_editor):
    Fortune = apps.get_model("bench", "Fortune")
    Fortune.objects.bulk_create(
        Fortune(id=number, message=message) for number, message in enumerate(FORTUNES, start=1)
    )


def remove_fortunes(apps, schema_editor):
    apps.get_model("bench", "Fortune").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("bench", "0001_create_fortune")]

    operations = [migrations.RunPython(add_fortunes, remove_fortunes)]

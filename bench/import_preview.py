"""How long the admin's preview (the dry run) of a large initiatives file takes:
`DEBUG=false .venv/bin/python -m bench.import_preview [rows] [changed]` (5 000 rows unless told).

Reads the database the settings name and leaves it as it was: everything, the staff account
included, happens in one transaction rolled back at the end. By default the file is the import
template's example row again and again, each time a new initiative with its own slug, run by
one of the directory's facilitators, in one of its sectors (the seed content after `make run`
will do). With `changed`, it is the directory's first initiatives as the admin exports them,
each with a new title (`seed_demo --initiatives 5000` first). The file is posted to the
admin's real import page through Django's test client, with the whole middleware stack.
Prints the dry run's time as the page shows it, the whole request's, and the page's size.
"""

import csv
import io
import os
import re
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from import_export.formats import base_formats  # noqa: E402

from initiatives.models import Initiative, Sector  # noqa: E402
from initiatives.resources import InitiativeResource  # noqa: E402
from networks.models import Facilitator  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
CHANGED = sys.argv[2:] == ["changed"]
CSV = admin.site.get_model_admin(Initiative).get_import_formats().index(base_formats.CSV)
COUNTRIES = ["BE", "FR", "DE", "PT", "KE", "IN", "JP", "BR", "US", "SG"]
# No collectstatic needed.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def initiatives_file(rows):
    example = InitiativeResource().template_row()
    facilitators = list(Facilitator.objects.values_list("slug", flat=True)) or [""]
    sectors = list(Sector.objects.values_list("slug", flat=True)) or [""]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(example))
    writer.writeheader()
    for number in range(rows):
        writer.writerow(
            {
                **example,
                "slug": f"bench-import-{number:05d}",
                "title_en": f"{example['title_en']} ({number})",
                "facilitator": facilitators[number % len(facilitators)],
                "countries": "|".join(COUNTRIES[number % 10 : number % 10 + 2]),
                "sectors": sectors[number % len(sectors)],
                "tags": f"housing|bench-{number % 50}",
            }
        )
    return out.getvalue().encode()


def changed_file(rows):
    initiatives = Initiative.objects.order_by("pk")[:rows]
    dataset = InitiativeResource().export(initiatives)
    titles = dataset["title_en"]
    del dataset["title_en"]
    dataset.append_col([f"{title} (changed)" for title in titles], header="title_en")
    return dataset.csv.encode()


def main():
    with transaction.atomic():
        user = get_user_model().objects.create_user("bench-import", is_staff=True)
        user.groups.add(Group.objects.get(name="Editors"))
        client = Client()
        client.force_login(user)
        data = changed_file(ROWS) if CHANGED else initiatives_file(ROWS)
        upload = SimpleUploadedFile("initiatives.csv", data, content_type="text/csv")
        started, cpu = time.perf_counter(), time.process_time()
        response = client.post(
            f"/{settings.ADMIN_PATH}initiatives/initiative/import/",
            {"import_file": upload, "format": CSV},
        )
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        transaction.set_rollback(True)
    page = response.content.decode()
    shown = re.search(r"Checked [\d\s,\u202f]+ rows in [\d.]+ seconds", page)
    print(f"{ROWS} rows, {len(data) / 1e6:.1f} MB file, status {response.status_code}")
    print(f"the page says: {shown[0] if shown else '(no time shown)'}")
    print(f"whole request: {elapsed:.1f} s ({cpu:.1f} s of CPU); page {len(page) / 1e6:.1f} MB")
    print("confirm button shown" if "Confirm import" in page else "NO confirm button")


if __name__ == "__main__":
    main()

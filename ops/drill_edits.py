"""The restore drill's writes, through the ORM as the admin makes them; prints what was done as
JSON. `python -m ops.drill_edits day`: an editor's day (initiatives created, retitled,
deleted). `python -m ops.drill_edits mistake`: every initiative that started before 2005
deleted at once, the kind of mistake a point-in-time restore undoes."""

import json
import os
import sys
from datetime import date

import django

CREATED, EDITED, DELETED = 3, 5, 4


def day():
    from initiatives.models import Initiative

    created = [
        Initiative.objects.create(
            title=f"Restore drill initiative {number}",
            slug=f"restore-drill-{number}",
            summary="Written after the base backup: only the WAL archive has it.",
            status=Initiative.Status.PUBLISHED,
            last_verified_on=date.today(),
        ).slug
        for number in range(1, CREATED + 1)
    ]
    existing = list(Initiative.objects.published().order_by("id")[: EDITED + DELETED])
    edited = {}
    for initiative in existing[:EDITED]:
        initiative.title = f"{initiative.title} (retitled)"
        initiative.save()
        edited[initiative.slug] = initiative.title
    deleted = []
    for initiative in existing[EDITED:]:
        deleted.append(initiative.slug)
        initiative.delete()
    return {"created": created, "edited": edited, "deleted": deleted}


def mistake():
    from initiatives.models import Initiative

    doomed = Initiative.objects.filter(started_on__year__lt=2005)
    slugs = list(doomed.values_list("slug", flat=True))
    doomed.delete()
    return {"deleted": slugs}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
    django.setup()
    json.dump({"day": day, "mistake": mistake}[sys.argv[1]](), sys.stdout)

"""The edge drill's editor: writes through the ORM as the admin does (a model's save() or
delete() in a transaction, whose signals purge the shared cache once it has committed).

`python -m ops.edge_edits`, with gunicorn's environment, reads one JSON command a line on
stdin, {"op": "retitle", "slug": ..., "title": ...}, {"op": "unpublish", "slug": ...} or
{"op": "delete", "slug": ...}, and answers each with a JSON line: the monotonic clock (shared by
every process of the machine) just before the save and once it has returned, purge included.
"""

import json
import os
import sys
import time

import django


def apply(command):
    from django.db import transaction

    from initiatives.models import Initiative

    initiative = Initiative.objects.get(slug=command["slug"])
    if command["op"] == "retitle":
        initiative.title = command["title"]
    elif command["op"] == "unpublish":
        initiative.status = Initiative.Status.DRAFT
    started = time.monotonic()
    with transaction.atomic():
        if command["op"] == "delete":
            initiative.delete()
        else:
            initiative.save()
    return {"started": started, "saved": time.monotonic()}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
    django.setup()
    for line in sys.stdin:
        try:
            answer = apply(json.loads(line))
        except Exception as error:  # reported to the drill, which fails on it
            answer = {"error": repr(error)}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()

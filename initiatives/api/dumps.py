"""The whole published directory as one file for bulk users, in JSON and CSV (docs/api.md).

`manage.py build_dump` writes each file beside the last one and renames it into place, so a
reader gets either the old file or the new one, never part of one; a file whose content has not
changed is left as it was, keeping its Last-Modified.
"""

import datetime
import hashlib
import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import condition, require_safe

from initiatives.api import serializers
from initiatives.exports import csv_lines, row, with_relations
from initiatives.models import Crisis, Initiative, Sector
from networks.models import Facilitator, Network

FILES = {"json": "directory.json", "csv": "initiatives.csv"}
CONTENT_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8"}


def path_of(format):
    return Path(settings.DUMP_DIR) / FILES[format]


def last_modified(request, format):
    """When the dump was last rebuilt with something new; None if there is none yet."""
    try:
        modified = path_of(format).stat().st_mtime
    except (KeyError, FileNotFoundError):
        return None
    return datetime.datetime.fromtimestamp(modified, tz=datetime.UTC)


@require_safe
@condition(last_modified_func=last_modified)
def dump(request, format):
    if format not in FILES:
        raise Http404("The dumps are dump.json and dump.csv.")
    try:
        file = path_of(format).open("rb")
    except FileNotFoundError:
        # A 404 rather than a 503: nothing is down, and a harvester should not retry at once.
        message = "This dump has not been built yet: `manage.py build_dump` builds it."
        return JsonResponse({"detail": message}, status=404)
    response = FileResponse(file, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{FILES[format]}"'
    return response


# Building


def initiative_items(context):
    initiatives = Initiative.objects.published().for_export().order_by("pk")
    for initiative, links in with_relations(initiatives):
        item = {**row(initiative, links, ""), "published": initiative.published_at}
        item["modified"] = initiative.updated_at
        yield serializers.InitiativeSerializer(item, context=context).data


def json_chunks(context):
    """The JSON dump, a piece at a time: the vocabularies, then each initiative on its line."""
    every = {
        "facilitators": serializers.FacilitatorSerializer(
            serializers.with_modified(
                Facilitator.objects.prefetch_related("countries", "networks").order_by("pk")
            ),
            many=True,
            context=context,
        ),
        "networks": serializers.NetworkSerializer(
            serializers.with_modified(Network.objects.order_by("pk")), many=True, context=context
        ),
        "sectors": serializers.SectorSerializer(
            serializers.with_modified(Sector.objects.order_by("pk")), many=True, context=context
        ),
        "crises": serializers.CrisisSerializer(
            serializers.with_modified(Crisis.objects.order_by("pk")), many=True, context=context
        ),
    }
    yield "{"
    for name, serializer in every.items():
        yield f"{json.dumps(name)}: {json.dumps(serializer.data, ensure_ascii=False)},\n"
    yield '"initiatives": ['
    separator = "\n"
    for item in initiative_items(context):
        yield separator + json.dumps(item, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def csv_chunks(base):
    list_url = base + reverse("initiative_list")
    initiatives = Initiative.objects.published().for_export().order_by("pk")
    rows = (row(initiative, links, list_url) for initiative, links in with_relations(initiatives))
    return csv_lines(rows)


def build(base=None):
    """Write both dumps; return {format: True if its file changed}."""
    base = base or settings.SITE_URL
    folder = Path(settings.DUMP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    with translation.override("en"):
        chunks = {"json": json_chunks({"base": base}), "csv": csv_chunks(base)}
        return {format: written(path_of(format), pieces) for format, pieces in chunks.items()}


def written(path, pieces):
    """Write `pieces` to `path` through a temporary file; False if the content is the same."""
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as out:
        for piece in pieces:
            out.write(piece)
            digest.update(piece.encode())
    if path.exists() and sha256_of(path) == digest.hexdigest():
        os.unlink(out.name)
        return False
    os.chmod(out.name, 0o644)
    os.replace(out.name, path)
    return True


def sha256_of(path):
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

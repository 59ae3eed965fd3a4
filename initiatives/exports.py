"""CSV and JSON exports of any filtered view, streamed so that no export sits in memory."""

import csv
import json

from django.http import Http404, StreamingHttpResponse

from initiatives.finder import Finder
from initiatives.models import Initiative

CHUNK_SIZE = 1000
COLUMNS = [
    "slug",
    "title",
    "summary",
    "url",
    "countries",
    "sectors",
    "facilitator",
    "partners",
    "network",
    "other_organisations",
    "crisis",
    "kind",
    "started_on",
    "ended_on",
    "volunteers",
    "participants",
    "beneficiaries",
    "tags",
    "website",
    "source_url",
    "last_verified_on",
]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def row(initiative, request):
    return {
        "slug": initiative.slug,
        "title": initiative.title,
        "summary": initiative.summary,
        "url": request.build_absolute_uri(initiative.get_absolute_url()),
        "countries": [country.code.lower() for country in initiative.countries.all()],
        "sectors": [sector.slug for sector in initiative.sectors.all()],
        "facilitator": initiative.facilitator.slug if initiative.facilitator else None,
        "partners": [partner.slug for partner in initiative.partners.all()],
        "network": initiative.network.slug if initiative.network else None,
        "other_organisations": initiative.other_organisations,
        "crisis": initiative.crisis.slug if initiative.crisis else None,
        "kind": initiative.kind,
        "started_on": initiative.started_on and initiative.started_on.isoformat(),
        "ended_on": initiative.ended_on and initiative.ended_on.isoformat(),
        "volunteers": initiative.volunteers,
        "participants": initiative.participants,
        "beneficiaries": initiative.beneficiaries,
        "tags": sorted(tag.name for tag in initiative.tags.all()),
        "website": initiative.website,
        "source_url": initiative.source_url,
        "last_verified_on": initiative.last_verified_on and initiative.last_verified_on.isoformat(),
    }


def csv_cell(value):
    if isinstance(value, list):
        value = "|".join(value)
    if value is None:
        return ""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class Echo:
    def write(self, value):
        return value


def csv_lines(initiatives, request):
    writer = csv.writer(Echo())
    yield writer.writerow(COLUMNS)
    for initiative in initiatives:
        data = row(initiative, request)
        yield writer.writerow([csv_cell(data[column]) for column in COLUMNS])


def json_chunks(initiatives, request):
    yield "["
    separator = "\n"
    for initiative in initiatives:
        yield separator + json.dumps(row(initiative, request), ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def export(request, format):
    finder = Finder(request, Initiative.objects.published())
    initiatives = finder.results.prefetch_related("partners", "tags").iterator(
        chunk_size=CHUNK_SIZE
    )
    if format == "csv":
        response = StreamingHttpResponse(
            csv_lines(initiatives, request), content_type="text/csv; charset=utf-8"
        )
    elif format == "json":
        response = StreamingHttpResponse(
            json_chunks(initiatives, request), content_type="application/json; charset=utf-8"
        )
    else:
        raise Http404("Exports are in CSV or JSON.")
    response["Content-Disposition"] = f'attachment; filename="initiatives.{format}"'
    return response

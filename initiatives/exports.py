"""CSV and JSON exports of any filtered view, streamed so that no export sits in memory."""

import collections
import contextlib
import csv
import itertools
import json

from django.db import connections, transaction
from django.db.models.functions import Lower
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse

from initiatives.finder import Finder
from initiatives.models import Initiative, Source, TaggedInitiative
from probono.spreadsheets import BYTE_ORDER_MARK, escape_formula

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
    "participants_unit",
    "beneficiaries",
    "tags",
    "website",
    "primary_source_url",
    "source_count",
    "last_verified_on",
]


def with_relations(initiatives):
    """(initiative, relations) pairs, a chunk at a time, each relation of a chunk in one query:
    plain values, not the thousands of objects and querysets that prefetching would build.
    """
    # On PostgreSQL, in a transaction: the server-side cursor lives as long as it and no longer,
    # as PgBouncer in transaction mode needs. (SQLite has no such cursors, and its transaction
    # would hold the write lock.)
    database = initiatives.db
    postgres = connections[database].vendor == "postgresql"
    with transaction.atomic(database, savepoint=False) if postgres else contextlib.nullcontext():
        yield from chunks_with_relations(initiatives)


def chunks_with_relations(initiatives):
    iterator = initiatives.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(itertools.islice(iterator, CHUNK_SIZE)):
        ids = [initiative.pk for initiative in chunk]
        relations = {
            "countries": Initiative.countries.through.objects.filter(initiative__in=ids)
            .annotate(value=Lower("country"))
            .values_list("initiative", "value"),
            "sectors": Initiative.sectors.through.objects.filter(initiative__in=ids).values_list(
                "initiative", "sector__slug"
            ),
            "partners": Initiative.partners.through.objects.filter(initiative__in=ids).values_list(
                "initiative", "facilitator__slug"
            ),
            "tags": TaggedInitiative.objects.filter(content_object__in=ids).values_list(
                "content_object", "tag__name"
            ),
            # The primary source first.
            "sources": Source.objects.filter(initiative__in=ids)
            .order_by("-is_primary", "order", "pk")
            .values_list("initiative", "url"),
        }
        grouped = {name: collections.defaultdict(list) for name in relations}
        for name, pairs in relations.items():
            for initiative, value in pairs:
                grouped[name][initiative].append(value)
        for initiative in chunk:
            links = {name: sorted(grouped[name][initiative.pk]) for name in grouped}
            yield initiative, {**links, "sources": grouped["sources"][initiative.pk]}


def row(initiative, relations, list_url):
    return {
        "slug": initiative.slug,
        "title": initiative.title,
        "summary": initiative.summary,
        # An initiative's URL is the list's plus its slug (the URL contract, docs/finder.md), which
        # spares a hundred thousand calls to reverse() in a full export.
        "url": f"{list_url}{initiative.slug}/",
        "countries": relations["countries"],
        "sectors": relations["sectors"],
        "facilitator": initiative.facilitator.slug if initiative.facilitator else None,
        "partners": relations["partners"],
        "network": initiative.network.slug if initiative.network else None,
        "other_organisations": initiative.other_organisations,
        "crisis": initiative.crisis.slug if initiative.crisis else None,
        "kind": initiative.kind,
        "started_on": initiative.started_on and initiative.started_on.isoformat(),
        "ended_on": initiative.ended_on and initiative.ended_on.isoformat(),
        "volunteers": initiative.volunteers,
        "participants": initiative.participants,
        "participants_unit": initiative.participants_unit if initiative.participants else None,
        "beneficiaries": initiative.beneficiaries,
        "tags": relations["tags"],
        "website": initiative.website,
        "primary_source_url": relations["sources"][0] if relations["sources"] else None,
        "source_count": len(relations["sources"]),
        "last_verified_on": initiative.last_verified_on and initiative.last_verified_on.isoformat(),
    }


def csv_cell(value):
    if isinstance(value, list):
        value = "|".join(value)
    if value is None:
        return ""
    return escape_formula(str(value))


class Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    writer = csv.writer(Echo())
    yield BYTE_ORDER_MARK + writer.writerow(COLUMNS)
    for data in rows:
        yield writer.writerow([csv_cell(data[column]) for column in COLUMNS])


def json_chunks(rows):
    yield "["
    separator = "\n"
    for data in rows:
        yield separator + json.dumps(data, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def export(request, format):
    finder = Finder(request)
    list_url = request.build_absolute_uri(reverse("initiative_list"))
    rows = (
        row(initiative, relations, list_url)
        for initiative, relations in with_relations(finder.results.for_export())
    )
    if format == "csv":
        response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    elif format == "json":
        response = StreamingHttpResponse(
            json_chunks(rows), content_type="application/json; charset=utf-8"
        )
    else:
        raise Http404("Exports are in CSV or JSON.")
    response["Content-Disposition"] = f'attachment; filename="initiatives.{format}"'
    return response

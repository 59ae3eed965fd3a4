"""The API's views: thin, over the finder for initiatives and over querysets for the rest."""

import datetime
import re
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import api_view, authentication_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from taggit.models import Tag

from initiatives import facet_index, facets
from initiatives.api import serializers
from initiatives.api.pages import PER_PAGE, Envelope, page_numbers, problem
from initiatives.exports import row, with_relations
from initiatives.filters import InitiativeFilter
from initiatives.finder import Finder
from initiatives.models import Crisis, Initiative, Sector
from initiatives.query import SORTS
from networks.models import Facilitator, Network
from networks.views import listed_countries
from probono.caching import mark_canonical

PAGES = {"page", "per_page"}
SLUG = re.compile(r"[-\w]+")
FINDER_FILTERS = InitiativeFilter.finder_filters()


def site_base(request):
    return request.build_absolute_uri("/").rstrip("/")


class StrictViewSet(viewsets.ReadOnlyModelViewSet):
    """Refuses, with a 400 naming them, the parameters it does not take; answers in English."""

    lookup_field = "slug"
    pagination_class = Envelope
    parameters = PAGES

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        translation.activate("en")
        lookup = kwargs.get(self.lookup_field)
        if lookup is not None and not SLUG.fullmatch(lookup):
            # Never a slug or a code, and PostgreSQL refuses some characters (NUL) outright.
            raise NotFound("No entry has this id.")
        taken = self.parameters if self.action == "list" else set()
        if settings.BENCHMARK:
            # `make bench` tags each request to make it new to the page cache (bench/wrk.py).
            taken = taken | {"bench"}
        self.errors = [
            problem(name, request.query_params[name], f"Unknown parameter “{name}”.")
            for name in request.query_params
            if name not in taken
        ]
        if self.errors and not self.checks_values:
            raise ValidationError({"errors": self.errors})

    @property
    def checks_values(self):
        """Whether the action checks the values too, and answers every problem at once."""
        return False

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "base": site_base(self.request)}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and self.action == "list":
            mark_canonical(response, urlencode(self.canonical_pairs()))
        return response

    def canonical_pairs(self):
        """The list's parameters in their one spelling, which the cache keeps as long as a page
        (a query string spelled otherwise is kept a minute)."""
        return self.page_pairs()

    def page_pairs(self):
        page, per_page = page_numbers(self.request.query_params)
        pairs = [("page", page)] if page > 1 else []
        return pairs + ([("per_page", per_page)] if per_page != PER_PAGE else [])


FINDER_PARAMETERS = [
    OpenApiParameter(
        name,
        str,
        many=True,
        explode=True,
        description=f"{definition.title}, as the finder spells it (repeat for OR).",
    )
    for name, definition in FINDER_FILTERS.items()
] + [
    OpenApiParameter("q", str, description="Free text, every word, in either language."),
    OpenApiParameter("sort", str, enum=SORTS, description="Newest first by default."),
    OpenApiParameter(
        "modified_after",
        str,
        description="Only initiatives changed after this ISO 8601 date or date-time (UTC).",
    ),
    OpenApiParameter(
        "facets",
        str,
        description="Comma-separated filters whose options to count, each ignoring its own "
        f"choice: {', '.join(FINDER_FILTERS)}.",
    ),
]


@extend_schema_view(
    list=extend_schema(parameters=FINDER_PARAMETERS),
)
class InitiativeViewSet(StrictViewSet):
    """Published initiatives, filtered by the finder's own parameters."""

    serializer_class = serializers.InitiativeSerializer
    queryset = Initiative.objects.published()
    parameters = PAGES | set(FINDER_FILTERS) | {"q", "sort", "modified_after", "facets"}

    @property
    def checks_values(self):
        return self.action == "list"

    def list(self, request):
        params = request.query_params
        errors = self.errors
        try:
            page, per_page = page_numbers(params)
        except ValidationError as error:
            errors += error.detail["errors"]
        finder = Finder(request, params=self.finder_params(params))
        errors += [
            problem(notice.parameter, notice.value or params.get(notice.parameter, ""), notice)
            for notice in finder.query.notices
            if notice.parameter
        ]
        modified_after = self.modified_after(params.get("modified_after"), errors)
        wanted = self.facet_names(params.get("facets"), errors)
        if errors:
            raise ValidationError({"errors": errors})
        results = finder.results
        if modified_after:
            results = results.filter(updated_at__gt=modified_after)
        paginator = self.paginator
        paginator.page, paginator.per_page = page, per_page
        paginator.count = results.count() if modified_after else finder.count
        paginator.check_page()
        start = (page - 1) * per_page
        ids = list(results.values_list("pk", flat=True)[start : start + per_page])
        self.canonical = [*finder.query.pairs(), *self.page_pairs()]
        if modified_after:
            self.canonical.append(("modified_after", params["modified_after"]))
        if wanted:
            self.canonical.append(("facets", ",".join(wanted)))
        extra = {"facets": self.facets(finder, wanted)} if wanted else {}
        return paginator.get_paginated_response(self.items(ids), **extra)

    def retrieve(self, request, slug):
        ids = list(self.get_queryset().filter(slug=slug).values_list("pk", flat=True))
        if not ids:
            raise NotFound("No published initiative has this id.")
        return Response(self.items(ids)[0])

    def items(self, ids):
        rows = Initiative.objects.for_export().filter(pk__in=ids)
        data = {initiative.pk: (initiative, links) for initiative, links in with_relations(rows)}
        items = [
            {
                **row(initiative, links, ""),
                "published": initiative.published_at,
                "modified": initiative.updated_at,
            }
            for initiative, links in (data[pk] for pk in ids)
        ]
        return self.get_serializer(items, many=True).data

    @staticmethod
    def finder_params(params):
        """The finder's own parameters, which it checks."""
        kept = params.copy()
        for name in params:
            if name not in FINDER_FILTERS and name not in ("q", "sort"):
                kept.pop(name)
        return kept

    @staticmethod
    def modified_after(text, errors):
        if text is None:
            return None
        try:
            moment = parse_datetime(text)
            if moment is None and (day := parse_date(text)):
                moment = datetime.datetime.combine(day, datetime.time())
        except ValueError:
            moment = None
        if moment is None:
            message = "“modified_after” must be an ISO 8601 date or date-time."
            errors.append(problem("modified_after", text, message))
            return None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)

    @staticmethod
    def facet_names(text, errors):
        if text is None:
            return []
        names = [name.strip() for name in text.split(",") if name.strip()]
        for name in names:
            if name not in FINDER_FILTERS:
                errors.append(problem("facets", name, f"No facet is named “{name}”."))
        return [name for name in FINDER_FILTERS if name in names]

    @staticmethod
    def facets(finder, wanted):
        """{name: [options]}, each counted as the finder counts it: without its own choice."""
        counted = facets.counted(finder.query, finder.vocabulary, {})[1]
        counted = {facet.name: facet for facet in counted}
        return {
            name: [
                {
                    "value": option.value,
                    "label": option.label,
                    "count": option.count,
                    "selected": option.selected,
                }
                for option in (counted[name].options if name in counted else [])
            ]
            for name in wanted
        }

    def canonical_pairs(self):
        return self.canonical


class FacilitatorViewSet(StrictViewSet):
    serializer_class = serializers.FacilitatorSerializer
    queryset = serializers.with_modified(
        Facilitator.objects.prefetch_related("countries", "networks").order_by("name", "pk")
    )


class NetworkViewSet(StrictViewSet):
    serializer_class = serializers.NetworkSerializer
    queryset = serializers.with_modified(Network.objects.order_by("name", "pk"))


class SectorViewSet(StrictViewSet):
    serializer_class = serializers.SectorSerializer
    queryset = serializers.with_modified(Sector.objects.order_by("name", "pk"))


class CrisisViewSet(StrictViewSet):
    serializer_class = serializers.CrisisSerializer
    queryset = serializers.with_modified(Crisis.objects.order_by("name", "pk"))


class TagViewSet(StrictViewSet):
    """Tags of published initiatives only."""

    serializer_class = serializers.TagSerializer
    queryset = Tag.objects.all()  # its model, for the schema; what it lists is below

    def get_queryset(self):
        return Tag.objects.filter(pk__in=facet_index.current().ids("tag")).order_by("name", "pk")


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="ISO 3166.")]
    )
)
class CountryViewSet(StrictViewSet):
    """Countries with published initiatives or facilitators."""

    serializer_class = serializers.CountrySerializer
    lookup_field = "code"

    def get_queryset(self):
        return listed_countries()

    def get_object(self):
        code = self.kwargs["code"].upper()
        for country in self.get_queryset():
            if country.code == code:
                return country
        raise NotFound("No country with published initiatives or facilitators has this id.")


@extend_schema(exclude=True)
@api_view(["GET"])
@authentication_classes([])
def root(request):
    """What the API offers, with the address of each part."""
    translation.activate("en")
    if request.query_params:
        errors = [
            problem(name, value, f"Unknown parameter “{name}”.")
            for name, value in request.query_params.items()
        ]
        raise ValidationError({"errors": errors})
    base = site_base(request)
    lists = ["initiatives", "facilitators", "networks", "countries", "sectors", "crises", "tags"]
    return Response(
        {
            "endpoints": {name: f"{base}/api/v1/{name}/" for name in lists},
            "schema": base + reverse("api-schema"),
            "documentation": base + reverse("api-docs"),
            "dumps": {
                format: base + reverse("api-dump", args=[format]) for format in ("json", "csv")
            },
        }
    )

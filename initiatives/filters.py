"""The finder's one filter definition, and the public contract of its query parameters.

Parameters, in their canonical order: country, sector, network, facilitator, crisis, tag, kind,
status, year (each repeatable: values of one parameter combine with OR, parameters with AND),
then q, sort and page (once each).
"""

import dataclasses
import datetime

import django_filters
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from initiatives import search
from initiatives.caching import versioned_key
from initiatives.models import Crisis, Initiative, Sector, TaggedInitiative
from networks.models import Country, Facilitator, Membership, Network

FILTERS = ["country", "sector", "network", "facilitator", "crisis", "tag", "kind", "status", "year"]
SINGLE = ["q", "sort", "page"]
MAX_VALUES = 20
YEARS = range(1900, 2101)


STATUS_CHOICES = [("ongoing", _("Ongoing")), ("completed", _("Completed"))]
SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("title", _("Title A–Z")),
]


@dataclasses.dataclass
class Vocabulary:
    """Every value a filter accepts, with the label a reader sees."""

    sectors: dict
    networks: dict
    facilitators: dict
    crises: dict
    tags: dict
    countries: dict

    @classmethod
    def load(cls):
        key = versioned_key("vocabulary", get_language())
        return cache.get_or_set(key, cls.from_database, timeout=None)

    @classmethod
    def from_database(cls):
        return cls(
            sectors=dict(Sector.objects.values_list("slug", "name")),
            networks=dict(Network.objects.values_list("slug", "name")),
            facilitators=dict(Facilitator.objects.values_list("slug", "name")),
            crises=dict(Crisis.objects.values_list("slug", "name")),
            tags=dict(
                TaggedInitiative.objects.filter(content_object__status="published")
                .values_list("tag__slug", "tag__name")
                .distinct()
            ),
            countries={
                code.lower(): Country(code=code).name
                for code in Country.objects.filter(initiatives__status="published")
                .values_list("code", flat=True)
                .distinct()
            },
        )

    def labels(self, name):
        if name == "kind":
            return dict(Initiative.Kind.choices)
        if name == "status":
            return dict(STATUS_CHOICES)
        if name == "year":
            return {str(year): str(year) for year in YEARS}
        if name == "country":
            return self.countries
        return getattr(self, {"crisis": "crises"}.get(name, f"{name}s"))

    def accepts(self, name, value):
        """Any ISO country code is a valid (if empty) choice; other values must exist."""
        if name == "country":
            return len(value) == 2 and bool(countries.alpha2(value))
        return value in self.labels(name)

    def label(self, name, value):
        if name == "country":
            return str(countries.name(value.upper()) or value)
        return str(self.labels(name).get(value, value))


class InitiativeFilter(django_filters.FilterSet):
    """Applies already-cleaned parameters (see `clean_query`) to a queryset of initiatives."""

    country = django_filters.MultipleChoiceFilter(method="filter_country")
    sector = django_filters.MultipleChoiceFilter(field_name="sectors__slug", distinct=False)
    network = django_filters.MultipleChoiceFilter(method="filter_network")
    facilitator = django_filters.MultipleChoiceFilter(method="filter_facilitator")
    crisis = django_filters.MultipleChoiceFilter(field_name="crisis__slug")
    tag = django_filters.MultipleChoiceFilter(method="filter_tag")
    kind = django_filters.MultipleChoiceFilter(choices=Initiative.Kind.choices)
    status = django_filters.MultipleChoiceFilter(choices=STATUS_CHOICES, method="filter_status")
    year = django_filters.MultipleChoiceFilter(method="filter_year")
    q = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = Initiative
        fields = []

    def __init__(self, data, queryset, vocabulary):
        super().__init__(data, queryset)
        for name in FILTERS:
            self.filters[name].extra["choices"] = list(vocabulary.labels(name).items())
        self.filters["country"].extra["choices"] = [
            (code.lower(), name) for code, name in countries
        ]

    def filter_country(self, queryset, name, codes):
        through = Initiative.countries.through.objects.filter(
            country__in=[code.upper() for code in codes]
        )
        return queryset.filter(pk__in=through.values("initiative"))

    def filter_network(self, queryset, name, slugs):
        members = Membership.objects.filter(network__slug__in=slugs).values("facilitator")
        return queryset.filter(Q(network__slug__in=slugs) | Q(facilitator__in=members))

    def filter_facilitator(self, queryset, name, slugs):
        partnered = Initiative.partners.through.objects.filter(facilitator__slug__in=slugs)
        return queryset.filter(
            Q(facilitator__slug__in=slugs) | Q(pk__in=partnered.values("initiative"))
        )

    def filter_tag(self, queryset, name, slugs):
        tagged = TaggedInitiative.objects.filter(tag__slug__in=slugs)
        return queryset.filter(pk__in=tagged.values("content_object"))

    def filter_status(self, queryset, name, statuses):
        if len(set(statuses)) == 2:
            return queryset
        ongoing = Q(ended_on__isnull=True) | Q(ended_on__gte=timezone.localdate())
        return queryset.filter(ongoing if "ongoing" in statuses else ~ongoing)

    def filter_year(self, queryset, name, years):
        active = Q()
        for year in map(int, years):
            active |= Q(started_on__lte=datetime.date(year, 12, 31)) & (
                Q(ended_on__isnull=True) | Q(ended_on__gte=datetime.date(year, 1, 1))
            )
        return queryset.filter(active)

    def filter_search(self, queryset, name, text):
        return search.apply(queryset, text)

"""The finder's one filter definition, and the public contract of its query parameters.

Parameters, in their canonical order: country, sector, network, facilitator, crisis, tag, kind,
status, year (each repeatable: values of one parameter combine with OR, parameters with AND),
then q, sort, show and page (once each). `show` names the one facet whose options are all listed.
"""

import dataclasses
import datetime
import functools

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from taggit.models import Tag

from initiatives import facet_index, search
from initiatives.models import Crisis, Initiative, Sector, TaggedInitiative
from networks.models import Country, Facilitator, Membership, Network
from probono.caching import kept_in_process, versioned_key

FILTERS = ["country", "sector", "network", "facilitator", "crisis", "tag", "kind", "status", "year"]
SINGLE = ["q", "sort", "show", "page"]
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
    ids: dict

    @classmethod
    def load(cls):
        return kept_in_process(versioned_key("vocabulary", get_language()), cls.from_database)

    @classmethod
    def from_database(cls):
        # Filters compare ids, not slugs, so that PostgreSQL's statistics about each value
        # choose the plan (walking the newest-first index for a common tag, say). Tags and
        # countries are those of published initiatives, as the facet index has them.
        index = facet_index.current()
        fields = ("slug", "name", "pk")
        rows = {
            "sector": Sector.objects.values_list(*fields),
            "network": Network.objects.values_list(*fields),
            "facilitator": Facilitator.objects.values_list(*fields),
            "crisis": Crisis.objects.values_list(*fields),
            "tag": Tag.objects.filter(pk__in=index.ids("tag")).values_list(*fields),
        }
        rows = {name: list(values) for name, values in rows.items()}
        names = {name: {slug: label for slug, label, _ in values} for name, values in rows.items()}
        return cls(
            sectors=names["sector"],
            networks=names["network"],
            facilitators=names["facilitator"],
            crises=names["crisis"],
            tags=names["tag"],
            countries={
                code.lower(): Country(code=code).name for code in index.by_dimension["country"]
            },
            ids={name: {slug: pk for slug, _, pk in values} for name, values in rows.items()},
        )

    @functools.cached_property
    def slugs(self):
        """{name: {id: slug}}, the other way round from `ids`."""
        return {name: {pk: slug for slug, pk in ids.items()} for name, ids in self.ids.items()}

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


class CleanedValuesField(forms.MultipleChoiceField):
    """Takes the values as they come: `clean_query` has already checked them against the
    vocabulary, and copying hundreds of choices into every form would cost more than the query.
    """

    def valid_value(self, value):
        return True


class ValuesFilter(django_filters.MultipleChoiceFilter):
    field_class = CleanedValuesField

    def __init__(self, **kwargs):
        # Every filter compares initiatives' own columns or ids from a subquery: no duplicates.
        super().__init__(distinct=False, **kwargs)


class InitiativeFilter(django_filters.FilterSet):
    """Applies already-cleaned parameters (see `clean_query`) to a queryset of initiatives."""

    country = ValuesFilter(method="filter_country")
    sector = ValuesFilter(method="filter_sector")
    network = ValuesFilter(method="filter_network")
    facilitator = ValuesFilter(method="filter_facilitator")
    crisis = ValuesFilter(method="filter_crisis")
    tag = ValuesFilter(method="filter_tag")
    kind = ValuesFilter()
    status = ValuesFilter(method="filter_status")
    year = ValuesFilter(method="filter_year")
    q = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = Initiative
        fields = []

    def __init__(self, data, queryset, vocabulary):
        super().__init__(data, queryset)
        self.vocabulary = vocabulary

    def ids(self, name, slugs):
        known = self.vocabulary.ids[name]
        return [known[slug] for slug in slugs if slug in known]

    def filter_country(self, queryset, name, codes):
        through = Initiative.countries.through.objects.filter(
            country__in=[code.upper() for code in codes]
        )
        return queryset.filter(pk__in=through.values("initiative"))

    def filter_sector(self, queryset, name, slugs):
        through = Initiative.sectors.through.objects.filter(sector__in=self.ids(name, slugs))
        return queryset.filter(pk__in=through.values("initiative"))

    def filter_network(self, queryset, name, slugs):
        ids = self.ids(name, slugs)
        members = Membership.objects.filter(network__in=ids).values("facilitator")
        return queryset.filter(Q(network__in=ids) | Q(facilitator__in=members))

    def filter_facilitator(self, queryset, name, slugs):
        ids = self.ids(name, slugs)
        partnered = Initiative.partners.through.objects.filter(facilitator__in=ids)
        return queryset.filter(Q(facilitator__in=ids) | Q(pk__in=partnered.values("initiative")))

    def filter_crisis(self, queryset, name, slugs):
        return queryset.filter(crisis__in=self.ids(name, slugs))

    def filter_tag(self, queryset, name, slugs):
        tagged = TaggedInitiative.objects.filter(tag__in=self.ids(name, slugs))
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

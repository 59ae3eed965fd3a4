"""The finder's filters, one class each, and the FilterSet that holds them in their canonical order.

The public contract of a link's parameters, in their canonical order: country, sector, network,
facilitator, crisis, tag, kind, status, year, verified (each repeatable: values of one parameter
combine with OR, parameters with AND), then q, sort, show and page (once each). `show` names the
one facet whose options are all listed.

Each filter knows, in one place:
- how a link spells its values (`parse`, `spelled`), and which values it accepts (`clean`, with a
  notice for each one it ignores); inside the code a value is spelled as stored: country codes
  upper-case, slugs, kinds, statuses, years;
- the one InitiativeQuerySet method it filters by (`queryset_method`), which the scoped pages
  call too;
- how to count its options for the facets (`mask`, `option_counts`): from the facet index where it
  keeps the filter's sets, else from the database;
- the values it offers and how to label them in the active language (`known_values`, `label_of`).

A new filter is one class, declared on the FilterSet (tests/test_finder_extension.py adds one).
"""

import dataclasses
import functools

import django_filters
from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_countries import countries
from taggit.models import Tag

from initiatives import facet_index
from initiatives.models import Crisis, Initiative, Sector
from initiatives.notices import Notice
from networks.models import Country, Facilitator, Network
from probono.caching import kept_in_process, versioned_key
from probono.verification import due_day

SINGLE = ["q", "sort", "show", "page"]
MAX_VALUES = 20
YEARS = range(1900, 2101)
STATUS_CHOICES = [("ongoing", gettext_lazy("Ongoing")), ("completed", gettext_lazy("Completed"))]
SORT_CHOICES = [
    ("relevance", gettext_lazy("Relevance")),
    ("newest", gettext_lazy("Newest first")),
    ("oldest", gettext_lazy("Oldest first")),
    ("title", gettext_lazy("Title A–Z")),
]
VERIFIED_LABEL = gettext_lazy("Verified in the last 12 months")


class CleanedValuesField(forms.MultipleChoiceField):
    """Takes the values as they come: each filter's `clean` has already checked them, and copying
    hundreds of choices into every form would cost more than the query."""

    def valid_value(self, value):
        return True


class FinderFilter(django_filters.MultipleChoiceFilter):
    """A repeatable parameter of the finder, with a facet."""

    field_class = CleanedValuesField
    title = ""  # the facet's heading
    queryset_method = ""  # the InitiativeQuerySet method it filters by, given the values as stored

    def __init__(self, **kwargs):
        # Every filter compares initiatives' own columns or ids from a subquery: no duplicates.
        super().__init__(distinct=False, **kwargs)

    # Links

    def parse(self, text):
        """The value a link's `text` stands for, as stored, or None."""
        return text.lower()

    def spelled(self, value):
        """The value as a link spells it."""
        return value

    def accepts(self, value, vocabulary):
        return value in vocabulary.labels.get(self.field_name, {})

    def clean(self, texts, vocabulary, notices):
        """The valid values among `texts`, as stored, sorted; a notice for each other one."""
        valid = set()
        for text in texts:
            if not text:
                continue
            value = self.parse(text)
            if value is not None and self.accepts(value, vocabulary):
                valid.add(value)
            else:
                notices.append(
                    Notice(
                        _("Ignored %(name)s “%(value)s”, which the directory does not know.")
                        % {"name": self.field_name, "value": text[:40]},
                        self.field_name,
                        text,
                    )
                )
        if len(valid) > MAX_VALUES:
            notices.append(
                Notice(
                    _("Kept the first %(max)d values of “%(name)s” and ignored the rest.")
                    % {"max": MAX_VALUES, "name": self.field_name},
                    self.field_name,
                )
            )
        return sorted(valid, key=self.sort_key)[:MAX_VALUES]

    @staticmethod
    def sort_key(value):
        return value

    # Filtering

    def filter(self, queryset, values):
        """What django-filter calls, with the values the FilterSet was given."""
        return self.filter_with(queryset, values, self.parent.vocabulary)

    def filter_with(self, queryset, values, vocabulary):
        if not values:
            return queryset
        return getattr(queryset, self.queryset_method)(self.database_values(values, vocabulary))

    def database_values(self, values, vocabulary):
        """What the queryset method takes for these values."""
        return values

    # Labels

    def known_values(self, index):
        """(value, label, id) of each value offered, as of `index`: the vocabulary's part."""
        return []

    def label_of(self, value, vocabulary):
        return str(vocabulary.labels.get(self.field_name, {}).get(value, value))

    def options(self, vocabulary, counts):
        """{value: label} of the options the facet lists."""
        return dict(vocabulary.labels.get(self.field_name, {}))

    def ordered(self, options):
        """The facet's options by count, then by name. Choosing one leaves its own facet's counts
        as they are, so that nothing moves under the reader's finger."""
        return sorted(options, key=lambda option: (-option.count, option.key))

    # Counting

    def mask(self, index, values, vocabulary):
        """The published initiatives that any of these values keeps, as a bitmap of ids: from
        the database, for a filter the facet index knows nothing of."""
        kept = self.filter_with(Initiative.objects.published(), values, vocabulary)
        return facet_index.bitmap(kept.values_list("pk", flat=True))

    def option_counts(self, index, within, vocabulary):
        """{value: count} of each option among the initiatives `within` (a bitmap)."""
        counts = {}
        for value in self.options(vocabulary, {}):
            counts[value] = (within & self.mask(index, [value], vocabulary)).bit_count()
        return {value: count for value, count in counts.items() if count}


class IndexedFilter(FinderFilter):
    """A filter whose every value has its set in the facet index, under `key(value)`."""

    def key(self, value, vocabulary):
        return f"{self.field_name}:{value}"

    def value_of(self, stored, vocabulary):
        """The value whose key ends with `stored`, or None."""
        return stored

    def mask(self, index, values, vocabulary):
        mask = 0
        for value in values:
            mask |= index.get(self.key(value, vocabulary))
        return mask

    def option_counts(self, index, within, vocabulary):
        counts = {}
        for stored, members in index.by_dimension[self.field_name].items():
            if (value := self.value_of(stored, vocabulary)) is not None:
                counts[value] = (within & members).bit_count()
        return {value: count for value, count in counts.items() if count}


class CountryFilter(IndexedFilter):
    """ISO 3166 codes: lower-case in links, upper-case as stored. Any code is a valid, if empty,
    choice; the facet lists the countries with published initiatives."""

    title = gettext_lazy("Country")
    queryset_method = "in_countries"

    def parse(self, text):
        code = text.upper()
        return code if len(code) == 2 and countries.alpha2(code) else None

    def spelled(self, value):
        return value.lower()

    def accepts(self, value, vocabulary):
        return True

    def known_values(self, index):
        return [(code, Country(code=code).name, None) for code in index.by_dimension["country"]]

    def label_of(self, value, vocabulary):
        return str(countries.name(value) or value)


class ModelFilter(IndexedFilter):
    """Slugs of a model's rows in links; ids in the database and the facet index, so that
    PostgreSQL's statistics about each value choose the plan, and renaming changes no set."""

    model = None

    def database_values(self, values, vocabulary):
        ids = vocabulary.ids[self.field_name]
        return [ids[slug] for slug in values if slug in ids]

    def key(self, value, vocabulary):
        return f"{self.field_name}:{vocabulary.ids[self.field_name].get(value)}"

    def value_of(self, stored, vocabulary):
        return vocabulary.slugs[self.field_name].get(int(stored))

    def known_values(self, index):
        return list(self.model.objects.values_list("slug", "name", "pk"))


class SectorFilter(ModelFilter):
    title = gettext_lazy("Sector")
    model = Sector
    queryset_method = "in_sectors"


class NetworkFilter(ModelFilter):
    """Initiatives the network runs itself, or that one of its members leads."""

    title = gettext_lazy("Network")
    model = Network
    queryset_method = "in_networks"


class FacilitatorFilter(ModelFilter):
    """Initiatives the facilitator leads or partners in."""

    title = gettext_lazy("Facilitator")
    model = Facilitator
    queryset_method = "run_by"


class CrisisFilter(ModelFilter):
    title = gettext_lazy("Crisis")
    model = Crisis
    queryset_method = "in_crises"


class TagFilter(ModelFilter):
    """Only tags of published initiatives: a draft's tags are no option, nor a valid value."""

    title = gettext_lazy("Tag")
    model = Tag
    queryset_method = "tagged"

    def known_values(self, index):
        published = Tag.objects.filter(pk__in=index.ids("tag"))
        return list(published.values_list("slug", "name", "pk"))


class KindFilter(IndexedFilter):
    title = gettext_lazy("Kind of engagement")
    queryset_method = "of_kinds"

    def known_values(self, index):
        return [(value, str(label), None) for value, label in Initiative.Kind.choices]


class StatusFilter(FinderFilter):
    """Ongoing: no end date, or one still to come; completed: ended before today."""

    title = gettext_lazy("Status")
    queryset_method = "with_status"

    def known_values(self, index):
        return [(value, str(label), None) for value, label in STATUS_CHOICES]

    def mask(self, index, values, vocabulary):
        mask = 0
        for value in values:
            mask |= index.ongoing if value == "ongoing" else index.completed
        return mask


class YearFilter(FinderFilter):
    """Active during that year: started by its end, not ended before its start."""

    title = gettext_lazy("Active in")
    queryset_method = "active_in"

    def accepts(self, value, vocabulary):
        return value.isascii() and value.isdigit() and int(value) in YEARS

    @staticmethod
    def sort_key(value):
        return int(value)

    def database_values(self, values, vocabulary):
        return [int(value) for value in values]

    def label_of(self, value, vocabulary):
        return value

    def options(self, vocabulary, counts):
        return {year: year for year in counts}

    def ordered(self, options):
        return sorted(options, key=lambda option: int(option.value), reverse=True)

    def mask(self, index, values, vocabulary):
        mask = 0
        for value in values:
            mask |= index.active_in(int(value))
        return mask

    def option_counts(self, index, within, vocabulary):
        counts = {
            str(year): (within & members).bit_count() for year, members in index.years.items()
        }
        return {value: count for value, count in counts.items() if count}


class VerifiedFilter(FinderFilter):
    """ "12m": verified in the last 12 months (probono.verification); the one value."""

    title = gettext_lazy("Verification")
    queryset_method = "verified_since"

    def known_values(self, index):
        return [("12m", str(VERIFIED_LABEL), None)]

    def database_values(self, values, vocabulary):
        return due_day()

    def mask(self, index, values, vocabulary):
        return index.verified_lately if values else 0


class SearchFilter(django_filters.CharFilter):
    """Free text, once: every word, in either language (initiatives.search)."""

    def filter(self, queryset, text):
        return queryset.matching(text) if text else queryset


class InitiativeFilter(django_filters.FilterSet):
    """Applies cleaned parameters (`query.clean_query`) to a queryset of initiatives."""

    country = CountryFilter()
    sector = SectorFilter()
    network = NetworkFilter()
    facilitator = FacilitatorFilter()
    crisis = CrisisFilter()
    tag = TagFilter()
    kind = KindFilter()
    status = StatusFilter()
    year = YearFilter()
    verified = VerifiedFilter()
    q = SearchFilter()

    class Meta:
        model = Initiative
        fields = []

    def __init__(self, data, queryset, vocabulary):
        super().__init__(data, queryset)
        self.vocabulary = vocabulary

    @classmethod
    def finder_filters(cls):
        """{name: filter} of the repeatable parameters, in their canonical order."""
        return {
            name: finder_filter
            for name, finder_filter in cls.base_filters.items()
            if isinstance(finder_filter, FinderFilter)
        }


FILTERS = list(InitiativeFilter.finder_filters())


@dataclasses.dataclass
class Vocabulary:
    """What the filters offer for this data version and language: each value's label, and for
    rows of a model the id a slug stands for."""

    labels: dict  # {filter name: {value: label}}
    ids: dict  # {filter name: {slug: id}}

    @classmethod
    def load(cls, filterset_class=InitiativeFilter):
        filters = filterset_class.finder_filters()
        key = versioned_key("vocabulary", get_language(), *filters)
        return kept_in_process(key, lambda: cls.from_database(filters))

    @classmethod
    def from_database(cls, filters):
        index = facet_index.current()
        labels, ids = {}, {}
        for name, finder_filter in filters.items():
            values = finder_filter.known_values(index)
            labels[name] = {value: str(label) for value, label, _pk in values}
            ids[name] = {value: pk for value, _label, pk in values if pk is not None}
        return cls(labels, ids)

    @functools.cached_property
    def slugs(self):
        """{name: {id: slug}}, the other way round from `ids`."""
        return {name: {pk: slug for slug, pk in ids.items()} for name, ids in self.ids.items()}

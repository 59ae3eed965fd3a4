"""Facet counts: beside each option of each filter, how many results choosing it would give.

An option's count respects every other active filter but not its own filter's selection,
since values within one filter combine with OR. Each facet is one or two grouped queries.
"""

import collections
import dataclasses

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.filters import FILTERS, STATUS_CHOICES
from initiatives.models import Initiative, TaggedInitiative
from networks.models import Membership
from probono.i18n import collation_key

TITLES = {
    "country": _("Country"),
    "sector": _("Sector"),
    "network": _("Network"),
    "facilitator": _("Facilitator"),
    "crisis": _("Crisis"),
    "tag": _("Tag"),
    "kind": _("Kind of engagement"),
    "status": _("Status"),
    "year": _("Active in"),
}
# Long lists show their top options, and a link to list them all (the `show` parameter).
SHORT_LIST = 8


@dataclasses.dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclasses.dataclass
class Facet:
    name: str
    title: str
    options: list
    # Set by the finder for the page at hand.
    shows_all: bool = False
    toggle_url: str = ""

    @property
    def is_long(self):
        return len(self.options) > SHORT_LIST + 2

    @property
    def shown(self):
        return self.options if self.shows_all or not self.is_long else self.options[:SHORT_LIST]


def counts_for(name, ids):
    """{value: count} over the initiatives whose ids the subquery `ids` selects."""
    if name == "country":
        rows = (
            Initiative.countries.through.objects.filter(initiative__in=ids)
            .values_list("country")
            .annotate(n=Count("*"))
        )
        return {code.lower(): n for code, n in rows}
    if name == "sector":
        rows = (
            Initiative.sectors.through.objects.filter(initiative__in=ids)
            .values_list("sector__slug")
            .annotate(n=Count("*"))
        )
        return dict(rows)
    if name == "tag":
        rows = (
            TaggedInitiative.objects.filter(content_object__in=ids)
            .values_list("tag__slug")
            .annotate(n=Count("*"))
        )
        return dict(rows)
    initiatives = Initiative.objects.filter(pk__in=ids).order_by()
    if name in ("crisis", "kind"):
        field = "crisis__slug" if name == "crisis" else "kind"
        rows = initiatives.exclude(**{f"{field}__isnull": True}).values_list(field)
        return dict(rows.annotate(n=Count("*")))
    if name == "facilitator":
        # A facilitator counts the initiatives it leads and those it partners in, once each.
        led = initiatives.exclude(facilitator=None).values_list("facilitator__slug")
        partnered = (
            Initiative.partners.through.objects.filter(initiative__in=ids)
            .exclude(facilitator=F("initiative__facilitator"))
            .values_list("facilitator__slug")
        )
        return add_counts(led.annotate(n=Count("*")), partnered.annotate(n=Count("*")))
    if name == "network":
        # Run by the network itself, or led by one of its members (never both: a constraint).
        run = initiatives.exclude(network=None).values_list("network__slug")
        led = Membership.objects.filter(facilitator__initiatives__in=ids).values_list(
            "network__slug"
        )
        return add_counts(run.annotate(n=Count("*")), led.annotate(n=Count("*")))
    if name == "status":
        today = timezone.localdate()
        ongoing = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
        totals = initiatives.aggregate(
            ongoing=Count("pk", filter=ongoing), completed=Count("pk", filter=~ongoing)
        )
        return {key: n for key, n in totals.items() if n}
    if name == "year":
        return year_counts(initiatives)
    raise ValueError(name)


def add_counts(*rows):
    total = collections.Counter()
    for value, n in (row for grouped in rows for row in grouped):
        total[value] += n
    return dict(total)


def year_counts(initiatives):
    """Initiatives active in each year, from the few distinct (start, end) year pairs."""
    spans = (
        initiatives.exclude(started_on=None)
        .values_list(ExtractYear("started_on"), ExtractYear("ended_on"))
        .annotate(n=Count("*"))
    )
    this_year = timezone.localdate().year
    counts = collections.Counter()
    for start, end, n in spans:
        for year in range(start, (end or this_year) + 1):
            counts[str(year)] += n
    return dict(counts)


def facets(filterset_for, query, vocabulary, exclude=()):
    """The facets of every filter but those in `exclude` (the page's fixed dimension)."""
    result = []
    for name in FILTERS:
        if name in exclude:
            continue
        ids = filterset_for(without=name).qs.order_by().values("pk")
        counts = counts_for(name, ids)
        selected = set(query.filters.get(name, []))
        labels = option_labels(name, vocabulary, counts)
        labels.update(
            {value: vocabulary.label(name, value) for value in selected if value not in labels}
        )
        options = [
            Option(value, str(label), counts.get(value, 0), value in selected)
            for value, label in labels.items()
        ]
        if name == "year":
            options.sort(key=lambda option: option.value, reverse=True)
        else:
            options.sort(
                key=lambda option: (not option.selected, -option.count, collation_key(option.label))
            )
        if options:
            result.append(Facet(name, TITLES[name], options))
    return result


def option_labels(name, vocabulary, counts):
    if name == "year":
        return {year: year for year in counts}
    if name == "status":
        return dict(STATUS_CHOICES)
    return dict(vocabulary.labels(name))

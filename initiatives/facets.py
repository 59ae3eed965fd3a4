"""A view's count, and beside each option of each filter, how many results choosing it would give.

An option's count respects every other active filter but not its own filter's selection, since
values within one filter combine with OR. Both come from the facet index (`facet_index`): a
mask for the page's scope and search, one per active filter, then an AND and a popcount per
option.
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

from initiatives import facet_index
from initiatives.filters import FILTERS, STATUS_CHOICES
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


def counted(query, vocabulary, fixed):
    """(the view's count, its facets). `fixed` is the page's own dimension, which has none."""
    index = facet_index.current()
    scope = index.get(facet_index.ALL)
    for name, value in fixed.items():
        scope &= index.value_mask(name, value, vocabulary)
    if query.q:
        scope &= facet_index.search_mask(query.q)
    masks = {
        name: index.filter_mask(name, values, vocabulary) for name, values in query.filters.items()
    }

    def within(without=None):
        mask = scope
        for name, kept in masks.items():
            if name != without:
                mask &= kept
        return mask

    facets = []
    for name in FILTERS:
        if name not in fixed:
            counts = index.option_counts(name, within(without=name), vocabulary)
            if facet := built(name, counts, query, vocabulary):
                facets.append(facet)
    return within().bit_count(), facets


def built(name, counts, query, vocabulary):
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
    return Facet(name, TITLES[name], options) if options else None


def option_labels(name, vocabulary, counts):
    if name == "year":
        return {year: year for year in counts}
    if name == "status":
        return dict(STATUS_CHOICES)
    return dict(vocabulary.labels(name))

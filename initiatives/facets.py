"""A view's count, and beside each option of each filter, how many results choosing it would give.

An option's count respects every other active filter but not its own filter's selection, since
values within one filter combine with OR. Each filter gives the set of initiatives its values keep
and counts its options (initiatives.filters); here they are combined: the page's scope and search,
an AND per active filter, then a popcount per option.
"""

import dataclasses

from initiatives import facet_index
from probono.i18n import collation_key

# Long lists show their top options, and a link to list them all (the `show` parameter).
SHORT_LIST = 8
# Of a long list, the options in the page for the facet's own search box to find.
SEARCHABLE = 200
# Facets shown open; the others fold to their heading, unless a value of theirs is chosen.
OPEN_FACETS = 2


@dataclasses.dataclass
class Option:
    value: str  # as a link spells it
    label: str
    count: int
    selected: bool

    @property
    def key(self):
        return collation_key(self.label)


@dataclasses.dataclass
class Facet:
    name: str
    title: str
    options: list
    # Set by the finder for the page at hand.
    shows_all: bool = False
    toggle_url: str = ""
    opens: bool = False

    @property
    def is_long(self):
        return len(self.options) > SHORT_LIST + 2

    @property
    def chosen(self):
        return sum(option.selected for option in self.options)

    @property
    def listed(self):
        """(option, shown) pairs, in the facet's order: a long list shows its top options and
        those chosen, where they stand, and hides the rest until its search box finds them."""
        if self.shows_all or not self.is_long:
            return [(option, True) for option in self.options]
        return [
            (option, number < SHORT_LIST or option.selected)
            for number, option in enumerate(self.options)
            if number < SEARCHABLE or option.selected
        ]


def counted(query, vocabulary, fixed):
    """(the view's count, its facets). `fixed` is the page's own dimension, which has none."""
    index = facet_index.current()
    definitions = query.definitions
    scope = index.get(facet_index.ALL)
    for name, value in fixed.items():
        scope &= definitions[name].mask(index, [value], vocabulary)
    if query.q:
        scope &= facet_index.search_mask(query.q)
    masks = {
        name: definitions[name].mask(index, values, vocabulary)
        for name, values in query.filters.items()
    }

    def within(without=None):
        mask = scope
        for name, kept in masks.items():
            if name != without:
                mask &= kept
        return mask

    facets = []
    for name, definition in definitions.items():
        if name not in fixed:
            counts = definition.option_counts(index, within(without=name), vocabulary)
            if facet := built(definition, counts, query.filters.get(name, []), vocabulary):
                facet.opens = len(facets) < OPEN_FACETS or bool(facet.chosen)
                facets.append(facet)
    return within().bit_count(), facets


def built(definition, counts, selected, vocabulary):
    """The facet of a filter: the options that would give results, and those selected; none
    when no option would."""
    labels = definition.options(vocabulary, counts)
    for value in set(selected) - labels.keys():
        labels[value] = definition.label_of(value, vocabulary)
    options = definition.ordered(
        Option(definition.spelled(value), label, counts.get(value, 0), value in selected)
        for value, label in labels.items()
        if counts.get(value) or value in selected
    )
    if not options:
        return None
    return Facet(definition.field_name, str(definition.title), options)

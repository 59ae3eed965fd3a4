"""What a finder page says of its view: the sentence ("12 legal initiatives in Belgium (Covid-19
pandemic) run by Pro Bono Lab"), the title, and a chip per active filter that removes it.

Whole phrases are translated, so that French can order them and agree them with the count.
"""

import dataclasses

from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

# Filters this sentence has its own words for; any other one is named by its facet's title.
WORDED = {
    "country",
    "sector",
    "network",
    "facilitator",
    "crisis",
    "tag",
    "kind",
    "status",
    "year",
    "verified",
}


@dataclasses.dataclass
class Chip:
    label: str
    remove_url: str


def sentence(finder):
    return describe(finder, finder.count)


def title(finder):
    return capfirst(describe(finder, count=None))


def describe(finder, count):
    """The sentence with `count`, or for a title (`count` None) without it."""
    labels = finder.labels
    sectors = either(lower_first(label) for label in labels("sector"))
    if count is None:
        # A title speaks of initiatives in general: plural, whatever the count.
        number = 2
        what = _("%(sectors)s initiatives") % {"sectors": sectors} if sectors else _("initiatives")
    else:
        number = count
        values = {"count": number_format(number, force_grouping=True), "sectors": sectors}
        if sectors:
            what = ngettext(
                "%(count)s %(sectors)s initiative", "%(count)s %(sectors)s initiatives", number
            )
        else:
            what = ngettext("%(count)s initiative", "%(count)s initiatives", number)
        what %= values
    if countries := labels("country"):
        what = _("%(what)s in %(places)s") % {"what": what, "places": either(countries)}
    # Nouns and adjectives in brackets, then phrases that follow on: "3 initiatives in Belgium
    # (Covid-19 pandemic, ongoing) run by The Good Lobby, matching “petition”".
    qualities = [*labels("crisis"), *map(lower_first, labels("kind"))]
    for status in finder.query.filters.get("status", []):
        if status == "ongoing":
            qualities.append(npgettext("initiatives that are", "ongoing", "ongoing", number))
        else:
            qualities.append(npgettext("initiatives that are", "completed", "completed", number))
    if finder.query.filters.get("verified"):
        qualities.append(
            npgettext(
                "initiatives that are",
                "verified in the last 12 months",
                "verified in the last 12 months",
                number,
            )
        )
    for name, definition in finder.query.definitions.items():
        if name not in WORDED and (named := labels(name)):
            qualities.append(f"{lower_first(str(definition.title))}: {either(named)}")
    if qualities:
        what = _("%(what)s (%(qualities)s)") % {"what": what, "qualities": ", ".join(qualities)}
    phrases = []
    if facilitators := labels("facilitator"):
        phrases.append(ngettext("run by %s", "run by %s", number) % either(facilitators))
    if networks := labels("network"):
        words = ("network", _("network"))
        named = all(any(w in network.casefold() for w in words) for network in networks)
        phrase = _("in the %s") if named else _("in the %s network")
        phrases.append(phrase % either(networks))
    if tags := labels("tag"):
        phrases.append(ngettext("tagged %s", "tagged %s", number) % either(map(quoted, tags)))
    if years := labels("year"):
        phrases.append(ngettext("active in %s", "active in %s", number) % either(years))
    if finder.query.q:
        phrases.append(_("matching %s") % quoted(finder.query.q))
    if not phrases:
        return what
    return " ".join([what, ", ".join(phrases)])


def chips(finder):
    query, path = finder.query, finder.request.path
    found = [
        Chip(
            query.definitions[name].label_of(value, finder.vocabulary),
            path + query.without(name, value),
        )
        for name, values in query.filters.items()
        for value in values
    ]
    if query.q:
        found.append(Chip(quoted(query.q), path + query.without("q")))
    return found


def either(labels):
    labels = list(labels)
    if len(labels) < 2:
        return "".join(labels)
    return _("%(some)s or %(last)s") % {"some": ", ".join(labels[:-1]), "last": labels[-1]}


def quoted(text):
    return _("“%s”") % text


def lower_first(label):
    """ "Legal" -> "legal", but "NGO support" stays as it is."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]

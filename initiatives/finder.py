"""The faceted finder behind /initiatives/ and the scoped country, sector, network pages."""

import dataclasses

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F
from django.db.models.functions import Lower
from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from initiatives import facets
from initiatives.caching import versioned_key
from initiatives.filters import SORT_CHOICES, STATUS_CHOICES, InitiativeFilter, Vocabulary
from initiatives.query import clean_query

PAGE_SIZE = 20

ORDERINGS = {
    "newest": [F("started_on").desc(nulls_last=True), "-pk"],
    "oldest": [F("started_on").asc(nulls_last=True), "pk"],
    "title": [Lower("title"), "pk"],
}


@dataclasses.dataclass
class Chip:
    label: str
    remove_url: str


class PageLinks:
    """Previous, next and numbered links for a page, each built by `url_for(number)`."""

    def __init__(self, page, url_for):
        self.page = page
        self.url_for = url_for

    @property
    def previous_url(self):
        return self.url_for(self.page.previous_page_number()) if self.page.has_previous() else None

    @property
    def next_url(self):
        return self.url_for(self.page.next_page_number()) if self.page.has_next() else None

    @property
    def numbers(self):
        """(label, url) pairs; the current page and the ellipses have no url."""
        elided = self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2)
        for number in elided:
            if number == self.page.number or number == self.page.paginator.ELLIPSIS:
                yield number, None
            else:
                yield number, self.url_for(number)


class Finder:
    """Reads the query string, filters, counts facets, paginates and describes the result.

    `fixed` names the page's own dimension, e.g. {"country": "be"} on /countries/be/: it is
    described in the sentence but is not a parameter, and has no facet.
    """

    def __init__(self, request, base, fixed=None):
        self.request = request
        self.base = base
        self.fixed = fixed or {}
        self.vocabulary = Vocabulary.load()
        self.query = clean_query(request.GET, self.vocabulary, fixed=self.fixed)
        self.filterset = self.filterset_for()

    @property
    def results(self):
        return self.ordered(self.filterset.qs).for_listing()

    def paginate(self):
        """Fetch the page asked for; past the end, the last page and a notice."""
        paginator = Paginator(self.results, PAGE_SIZE)
        paginator.count = cache.get_or_set(self.cache_key("count"), lambda: self.results.count())
        if self.query.page > paginator.num_pages:
            self.query.notices.append(
                _("There is no page %(page)d; this is the last page, %(last)d.")
                % {"page": self.query.page, "last": paginator.num_pages}
            )
            self.query.page = paginator.num_pages
        self.page = paginator.page(self.query.page)
        self.count = paginator.count
        self.page_links = PageLinks(
            self.page, lambda number: self.request.path + self.query.querystring(page=number)
        )
        return self

    def filterset_for(self, without=None):
        data = QueryDict(mutable=True)
        for name, values in self.query.filters.items():
            if name != without:
                data.setlist(name, values)
        if self.query.q:
            data["q"] = self.query.q
        return InitiativeFilter(data, self.base, self.vocabulary)

    def ordered(self, results):
        if self.query.sort == "relevance" and "rank" in results.query.annotations:
            return results.order_by("-rank", *ORDERINGS["newest"])
        return results.order_by(*ORDERINGS.get(self.query.sort, ORDERINGS["newest"]))

    def cache_key(self, kind):
        """Counts depend on the scope, the filters and the search, not on the sort or page."""
        query = self.query.querystring(page=1, sort=self.query.default_sort)
        return versioned_key(kind, get_language(), self.request.path, query)

    @property
    def facets_cache_key(self):
        return self.cache_key("facets-html")

    @cached_property
    def facets(self):
        return cache.get_or_set(
            self.cache_key("facets"),
            lambda: facets.facets(
                self.filterset_for, self.query, self.vocabulary, exclude=self.fixed
            ),
        )

    @property
    def redirect_url(self):
        """The canonical URL when the request used another spelling of the same valid query."""
        canonical = self.query.querystring()
        current = self.request.META.get("QUERY_STRING", "")
        if not self.query.notices and canonical.lstrip("?") != current:
            return self.request.path + canonical
        return None

    @property
    def canonical_url(self):
        return self.request.build_absolute_uri(self.request.path + self.query.querystring())

    @property
    def sort_choices(self):
        return SORT_CHOICES

    def shared_querystring(self):
        """The view's parameters, the page's own dimension included, for feeds and exports."""
        filters = {**self.query.filters, **{name: [value] for name, value in self.fixed.items()}}
        return dataclasses.replace(self.query, filters=filters, page=1).querystring()

    @property
    def feed_url(self):
        return reverse("initiative_feed") + self.shared_querystring()

    @property
    def export_urls(self):
        return {
            format: reverse("initiative_export", args=[format]) + self.shared_querystring()
            for format in ("csv", "json")
        }

    @property
    def noindex(self):
        return bool(self.query.q or self.query.page > 1 or self.query.notices)

    # What the reader sees

    def label(self, name, value):
        if name == "status":
            return str(dict(STATUS_CHOICES)[value])
        return self.vocabulary.label(name, value)

    def labels(self, name):
        values = self.query.filters.get(name) or ([self.fixed[name]] if name in self.fixed else [])
        return [self.label(name, value) for value in values]

    def describe(self, count=None):
        """ "12 legal initiatives in Belgium, Covid-19", or without the count for a title."""
        sectors = [lower_first(label) for label in self.labels("sector")]
        number = self.count if count is None else count
        noun = ngettext("initiative", "initiatives", number)
        what = f"{either(sectors)} {noun}" if sectors else noun
        countries = self.labels("country")
        if countries:
            what = _("%(what)s in %(places)s") % {"what": what, "places": either(countries)}
        details = [*self.labels("crisis"), *map(lower_first, self.labels("kind"))]
        if facilitators := self.labels("facilitator"):
            details.append(_("run by %s") % either(facilitators))
        if networks := self.labels("network"):
            named = all("network" in network.casefold() for network in networks)
            phrase = _("in the %s") if named else _("in the %s network")
            details.append(phrase % either(networks))
        if tags := self.labels("tag"):
            details.append(_("tagged %s") % either(f"“{tag}”" for tag in tags))
        details += [lower_first(label) for label in self.labels("status")]
        if years := self.labels("year"):
            details.append(_("active in %s") % either(years))
        if self.query.q:
            details.append(_("matching “%s”") % self.query.q)
        described = ", ".join([what, *details])
        return described if count is False else f"{number} {described}"

    @property
    def sentence(self):
        return self.describe()

    @property
    def title(self):
        return capfirst(self.describe(count=False))

    @property
    def chips(self):
        chips = [
            Chip(self.label(name, value), self.request.path + self.query.without(name, value))
            for name, values in self.query.filters.items()
            for value in values
        ]
        if self.query.q:
            chips.append(Chip(f"“{self.query.q}”", self.request.path + self.query.without("q")))
        return chips

    @property
    def clear_url(self):
        return self.request.path


def either(labels):
    labels = list(labels)
    if len(labels) < 2:
        return "".join(labels)
    return _("%(some)s or %(last)s") % {"some": ", ".join(labels[:-1]), "last": labels[-1]}


def lower_first(label):
    """ "Legal" -> "legal", but "NGO support" stays as it is."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]

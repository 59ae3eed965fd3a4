"""The faceted finder: /initiatives/ and the country, sector, network and facilitator pages."""

import dataclasses

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from initiatives import facets, sentence
from initiatives.filters import SORT_CHOICES, InitiativeFilter, Vocabulary
from initiatives.listing import listed
from initiatives.models import Initiative
from initiatives.query import clean_query
from initiatives.querysets import NEWEST_FIRST
from probono import i18n
from probono.caching import mark_canonical, versioned_key, wants_fragment

PAGE_SIZE = 20
# Ranking reads every match; past this many, a search is sorted newest first, as fast as a list.
RANK_LIMIT = 1000

ORDERINGS = {
    "newest": NEWEST_FIRST,
    "oldest": [F("started_on").asc(nulls_last=True), "pk"],
}


def title_ordering():
    """Titles as the reader sees them: in the page's language, else in the first other one."""
    page_language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    languages = dict.fromkeys([page_language, *(code for code, _name in settings.LANGUAGES)])
    shown = Coalesce(*(NullIf(f"title_{language}", Value("")) for language in languages))
    return [Lower(shown), "pk"]


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


class IdsFirstPaginator(Paginator):
    """Finds a page's ids with the index alone, then fetches those rows and what they show.

    Pages past the middle read the ordering from its other end, so the last page costs what the
    first one does.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = self.object_list.values_list("pk", flat=True)
        if bottom > self.count // 2:
            ids = list(ids.reverse()[self.count - top : self.count - bottom])[::-1]
        else:
            ids = list(ids[bottom:top])
        rows = self.object_list.model.objects.for_listing().in_bulk(ids)
        return self._get_page(listed(rows[pk] for pk in ids), number, self)


class Finder:
    """Reads the query, runs the FilterSet, counts, paginates; the page's words are in
    `initiatives.sentence`.

    `params` are the query's parameters, request.GET unless given (the API takes some out).
    `fixed` is the page's own dimension, e.g. {"country": "BE"} on /countries/be/, as stored: it
    scopes the results through its filter, is described in the sentence, but is no parameter and
    has no facet. `params` are the view's parameters, request.GET unless a page takes some
    of its own (an embed's theme).
    """

    def __init__(self, request, fixed=None, filterset_class=InitiativeFilter, params=None):
        self.request = request
        self.fixed = fixed or {}
        self.filterset_class = filterset_class
        self.vocabulary = Vocabulary.load(filterset_class)
        definitions = filterset_class.finder_filters()
        params = request.GET if params is None else params
        self.query = clean_query(params, definitions, self.vocabulary, fixed=self.fixed)
        self.base = Initiative.objects.published()
        for name, value in self.fixed.items():
            self.base = definitions[name].filter_with(self.base, [value], self.vocabulary)
        self.filterset = filterset_class(self.query_data(), self.base, self.vocabulary)
        self.too_many_to_rank = False

    def query_data(self):
        data = QueryDict(mutable=True)
        for name, values in self.query.filters.items():
            data.setlist(name, values)
        if self.query.q:
            data["q"] = self.query.q
        return data

    @cached_property
    def count(self):
        count = cache.get(self.cache_key("count"))
        return self.counted()[0] if count is None else count

    def counted(self):
        """The view's count and facets, shared by every page and sort of the view: worked out
        together (one search, one set of masks) but kept apart, since most pages need only
        the count, the facets' HTML being cached whole."""
        count, counted = facets.counted(self.query, self.vocabulary, self.fixed)
        cache.set_many({self.cache_key("count"): count, self.cache_key("facets"): counted})
        return count, counted

    @property
    def results(self):
        return self.ordered(self.filterset.qs)

    def paginate(self):
        """Fetch the page asked for; past the end, the last page and a notice."""
        paginator = IdsFirstPaginator(self.results, PAGE_SIZE)
        paginator.count = self.count
        if self.query.page > paginator.num_pages:
            self.query.notices.append(
                _("There is no page %(page)d; this is the last page, %(last)d.")
                % {"page": self.query.page, "last": paginator.num_pages}
            )
            self.query.page = paginator.num_pages
        self.page = paginator.page(self.query.page)
        self.page_links = PageLinks(
            self.page, lambda number: self.request.path + self.query.querystring(page=number)
        )
        return self

    def ordered(self, results):
        if self.query.sort == "relevance" and "rank" in results.query.annotations:
            if self.count <= RANK_LIMIT:
                return results.order_by("-rank", *ORDERINGS["newest"])
            self.too_many_to_rank = True
        if self.query.sort == "title":
            return results.order_by(*title_ordering())
        return results.order_by(*ORDERINGS.get(self.query.sort, ORDERINGS["newest"]))

    def cache_key(self, kind):
        """Counts depend on the scope, the filters and the search, not on the sort or page."""
        query = self.query.querystring(page=1, sort=self.query.default_sort, show="")
        return versioned_key(kind, get_language(), self.request.path, query)

    @property
    def facets_cache_key(self):
        # Their "show all" links keep the sort, and lead to page 1.
        query = self.query.querystring(page=1)
        return versioned_key("facets-html", get_language(), self.request.path, query)

    @cached_property
    def facets(self):
        """Every facet, each listing its top options, or all of them for `show`."""
        counted = cache.get(self.cache_key("facets"))
        if counted is None:
            counted = self.counted()[1]
        for facet in counted:
            facet.shows_all = facet.name == self.query.show
            facet.opens = facet.opens or facet.shows_all
            show = "" if facet.shows_all else facet.name
            facet.toggle_url = self.request.path + self.query.querystring(show=show, page=1)
        return counted

    # Addresses

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
        # The same results with fewer options listed.
        query = self.query.querystring(show="")
        return self.request.build_absolute_uri(self.request.path + query)

    def shared_querystring(self):
        """The view's parameters, the page's own dimension included, for feeds and exports."""
        filters = {**self.query.filters, **{name: [value] for name, value in self.fixed.items()}}
        return dataclasses.replace(self.query, filters=filters, page=1, show="").querystring()

    @property
    def feed_url(self):
        return reverse("initiative_feed") + self.shared_querystring()

    @property
    def export_urls(self):
        return {
            format: reverse("initiative_export", args=[format]) + self.shared_querystring()
            for format in ("csv", "json")
        }

    def view_querystring(self):
        """The view's filters and search alone, the page's own dimension included: what an
        email alert follows (initiatives/alerts.py)."""
        filters = {**self.query.filters, **{name: [value] for name, value in self.fixed.items()}}
        view = dataclasses.replace(self.query, filters=filters, page=1, show="")
        return view.querystring(sort=view.default_sort)

    @property
    def alert_url(self):
        return reverse("alert_new") + self.view_querystring()

    @property
    def noindex(self):
        return bool(self.query.q or self.query.page > 1 or self.query.notices)

    # What the reader sees

    def labels(self, name):
        """The labels of a filter's values, the page's own dimension included."""
        definition = self.query.definitions.get(name)
        values = self.query.filters.get(name) or ([self.fixed[name]] if name in self.fixed else [])
        if definition is None:
            return []
        return [definition.label_of(value, self.vocabulary) for value in values]

    @cached_property
    def sentence(self):
        return sentence.sentence(self)

    @cached_property
    def title(self):
        return sentence.title(self)

    @property
    def chips(self):
        return sentence.chips(self)

    # For the template

    @property
    def rank_limit(self):
        return RANK_LIMIT

    sort_choices = SORT_CHOICES


def finder_page(request, template, context=None, fixed=None):
    """Render a page built around the finder, or redirect to its canonical URL.

    With `X-Requested-With: finder` (static/js/finder.js), render only the finder's fragment.
    """
    finder = Finder(request, fixed=fixed)
    if finder.redirect_url:
        return redirect(finder.redirect_url, permanent=True)
    if wants_fragment(request):
        template = "includes/finder.html"
    context = {
        "finder": finder.paginate(),
        # The language links keep the view's filters, as its canonical address spells them.
        **i18n.languages(request, finder.query.querystring()),
        **(context or {}),
    }
    response = render(request, template, context)
    patch_vary_headers(response, ["X-Requested-With"])
    if not finder.query.notices:
        mark_canonical(response, finder.query.querystring())
    return response

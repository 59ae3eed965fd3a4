import dataclasses

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Window
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django_countries import countries as all_countries

from initiatives import facet_index, structured_data
from initiatives.finder import PageLinks, finder_page
from initiatives.models import Initiative
from initiatives.querysets import NEWEST_FIRST
from initiatives.slugs import follow_renamed_slugs
from networks.filters import FacilitatorListFilter
from networks.models import Country, Facilitator, Membership, Network
from networks.world_map import world_map
from probono import i18n, pages
from probono.caching import mark_canonical, versioned_key
from probono.i18n import collation_key

WITH_NETWORKS = Prefetch("memberships", Membership.objects.select_related("network"))
# The seed content's 29 facilitators on one page.
FACILITATORS_PER_PAGE = 50


class Shortlist:
    """The first few of some initiatives, newest first, and how many there are in all: one
    query, the total counted beside each row."""

    SIZE = 5

    def __init__(self, initiatives):
        self.shown = list(initiatives.annotate(total=Window(Count("pk")))[: self.SIZE])
        self.count = self.shown[0].total if self.shown else 0

    def __iter__(self):
        return iter(self.shown)

    @property
    def more(self):
        return self.count - len(self.shown)


def network_list(request):
    networks = Network.objects.with_member_count()
    head = pages.head(request, "network_list")
    return render(request, "networks/network_list.html", {"networks": networks, "head": head})


@follow_renamed_slugs(lambda request: Network.objects.all())
def network_detail(request, slug):
    network = get_object_or_404(Network, slug=slug)
    # In the dictionary order of the reader's language: "Önkéntes" among the O's.
    memberships = sorted(
        network.memberships.select_related("facilitator").prefetch_related(
            "facilitator__countries"
        ),
        key=lambda membership: collation_key(membership.facilitator.name),
    )
    covered = Country.objects.filter(
        facilitators__in=Facilitator.objects.current_members_of(network)
    ).distinct()
    published = Initiative.objects.published().for_listing().order_by(*NEWEST_FIRST)
    context = {
        "network": network,
        "members": [membership for membership in memberships if membership.is_current],
        "former_members": [membership for membership in memberships if not membership.is_current],
        "countries": sorted(covered, key=lambda country: collation_key(country.name)),
        "own_work": Shortlist(published.run_by_network_itself(network)),
        "members_work": Shortlist(published.led_by_members_of(network)),
        "finder_url": reverse("initiative_list") + "?" + urlencode({"network": network.slug}),
        "structured_data": structured_data.for_network(network, memberships, request),
    }
    return finder_page(request, "networks/network_detail.html", context, fixed={"network": slug})


def facilitator_list(request):
    """Compact rows, filtered by country, network and name (networks.filters)."""
    filterset = FacilitatorListFilter(
        request.GET,
        Facilitator.objects.with_initiative_count().prefetch_related("countries", WITH_NETWORKS),
    )
    # In the dictionary order of the reader's language, which SQL collations do not give.
    facilitators = sorted(filterset.qs, key=lambda facilitator: collation_key(facilitator.name))
    page = Paginator(facilitators, FACILITATORS_PER_PAGE).get_page(request.GET.get("page"))
    if redirect_url := filterset.redirect_url(request, page.number):
        return redirect(redirect_url, permanent=True)
    links = PageLinks(page, lambda number: request.path + filterset.querystring(number))
    head = pages.head(request, "facilitator_list", filterset.querystring(page.number))
    context = {
        "page": page,
        "page_links": links,
        "head": head,
        "filterset": filterset,
        "country_options": filterset.country_options(),
        "network_options": filterset.network_options(),
        "notices": filterset.notices(),
        # The language links keep the filters, as the canonical address spells them.
        **i18n.languages(request, filterset.querystring(page.number)),
    }
    response = render(request, "networks/facilitator_list.html", context)
    if not context["notices"]:
        mark_canonical(response, filterset.querystring(page.number))
    return response


@follow_renamed_slugs(lambda request: Facilitator.objects.all())
def facilitator_detail(request, slug):
    facilitator = get_object_or_404(
        Facilitator.objects.prefetch_related("countries", WITH_NETWORKS), slug=slug
    )
    context = {
        "facilitator": facilitator,
        "structured_data": structured_data.for_facilitator(facilitator, request),
    }
    return finder_page(
        request, "networks/facilitator_detail.html", context, fixed={"facilitator": slug}
    )


@dataclasses.dataclass
class Column:
    """A sortable column of the table of countries: names A to Z, counts highest first."""

    key: str
    label: str
    count: str = ""  # the attribute counted, for a column of numbers

    @property
    def numeric(self):
        return bool(self.count)

    @property
    def direction(self):
        return "descending" if self.numeric else "ascending"

    def key_of(self, country):
        """Rows with equal counts then stay in the order of names, which is given."""
        return -getattr(country, self.count) if self.numeric else country.name_rank


COUNTRY_COLUMNS = {
    "name": Column("name", gettext_lazy("Country")),
    "initiatives": Column("initiatives", gettext_lazy("Initiatives"), "initiative_count"),
    "facilitators": Column("facilitators", gettext_lazy("Facilitators"), "facilitator_count"),
}


def listed_countries():
    """Countries with published initiatives or facilitators, counted (facet index)."""
    return Country.objects.listed(facet_index.current().counts("country"))


def country_list(request):
    """The map and the table of countries, sorted by `?sort=` (an unknown value: by name)."""
    sort = request.GET.get("sort", "")
    sort = sort if sort in COUNTRY_COLUMNS else "name"
    by_name = sorted(listed_countries(), key=lambda country: collation_key(country.name))
    for rank, country in enumerate(by_name):
        country.name_rank = rank
    head = pages.head(request, "country_list")
    context = {
        "countries": sorted(by_name, key=COUNTRY_COLUMNS[sort].key_of),
        "columns": COUNTRY_COLUMNS.values(),
        "sort": sort,
        "default_sort": "name",
        "world_map": world_map(by_name),
        "head": head,
    }
    return render(request, "networks/country_list.html", context)


def country_detail(request, code):
    if len(code) != 2 or not all_countries.alpha2(code):
        raise Http404("No such country code.")
    if code != code.lower():
        query = request.META.get("QUERY_STRING", "")
        url = reverse("country_detail", args=[code.lower()]) + (f"?{query}" if query else "")
        return redirect(url, permanent=True)
    # A data migration made a row for every ISO code, so a valid code needs no query.
    country = Country(code=code.upper())
    return finder_page(
        request,
        "networks/country_detail.html",
        {
            "country": country,
            # Read only when the template's fragment cache has no copy for this data version.
            "facilitators": Facilitator.objects.in_country(country.code),
            "facilitators_cache_key": versioned_key(
                "country-facilitators", get_language(), country.code
            ),
        },
        fixed={"country": country.code},
    )

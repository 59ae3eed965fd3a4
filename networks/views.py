from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django_countries import countries as all_countries

from initiatives import facet_index, structured_data
from initiatives.finder import PAGE_SIZE, PageLinks, finder_page
from initiatives.slugs import follow_renamed_slugs
from networks.models import Country, Facilitator, Membership, Network
from networks.world_map import world_map
from probono import pages
from probono.caching import versioned_key
from probono.i18n import collation_key

WITH_NETWORKS = Prefetch("memberships", Membership.objects.select_related("network"))


def network_list(request):
    networks = Network.objects.annotate(member_count=Count("memberships"))
    head = pages.head(request, "network_list")
    return render(request, "networks/network_list.html", {"networks": networks, "head": head})


@follow_renamed_slugs(lambda request: Network.objects.all())
def network_detail(request, slug):
    network = get_object_or_404(Network, slug=slug)
    memberships = network.memberships.select_related("facilitator").prefetch_related(
        "facilitator__countries"
    )
    covered = Country.objects.filter(facilitators__memberships__network=network).distinct()
    context = {
        "network": network,
        # In the dictionary order of the reader's language: "Önkéntes" among the O's.
        "memberships": sorted(
            memberships, key=lambda membership: collation_key(membership.facilitator.name)
        ),
        "countries": sorted(covered, key=lambda country: collation_key(country.name)),
    }
    return finder_page(request, "networks/network_detail.html", context, fixed={"network": slug})


def facilitator_list(request):
    facilitators = Facilitator.objects.prefetch_related("countries", WITH_NETWORKS)
    page = Paginator(facilitators, PAGE_SIZE).get_page(request.GET.get("page"))
    links = PageLinks(page, lambda number: f"?page={number}" if number > 1 else request.path)
    head = pages.head(
        request, "facilitator_list", f"?page={page.number}" if page.number > 1 else ""
    )
    context = {"page": page, "page_links": links, "head": head}
    return render(request, "networks/facilitator_list.html", context)


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


def listed_countries():
    """Countries with published initiatives or facilitators, counted (facet index)."""
    return Country.objects.listed(facet_index.current().counts("country"))


def country_list(request):
    countries = sorted(listed_countries(), key=lambda country: collation_key(country.name))
    head = pages.head(request, "country_list")
    context = {"countries": countries, "world_map": world_map(countries), "head": head}
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

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django_countries import countries as all_countries

from initiatives import facet_index, structured_data
from initiatives.finder import finder_page
from initiatives.listing import listed
from initiatives.models import Initiative, Sector
from initiatives.slugs import follow_renamed_slugs
from networks.models import Country, Facilitator, Network
from networks.world_map import world_map
from probono.caching import versioned_key
from probono.i18n import collation_key


def home(request):
    countries = sorted_by_count(listed_countries())
    context = {
        "counts": {
            "initiatives": facet_index.current().count(facet_index.ALL),
            "facilitators": Facilitator.objects.count(),
            "countries": sum(1 for country in countries if country.initiative_count),
        },
        "latest": listed(
            Initiative.objects.published().for_listing().order_by("-published_at", "-pk")[:6]
        ),
        "top_countries": countries[:12],
        "world_map": world_map(countries),
        "sectors": sectors_with_counts(),
        "networks": Network.objects.all(),
    }
    return render(request, "initiatives/home.html", context)


def listed_countries():
    """Countries with published initiatives or facilitators, counted (facet index)."""
    return Country.objects.listed(facet_index.current().counts("country"))


def sectors_with_counts():
    """Every sector, in the order of their names, each with its `initiative_count`."""
    counts = facet_index.current().counts("sector")
    sectors = list(Sector.objects.all())
    for sector in sectors:
        sector.initiative_count = counts.get(str(sector.pk), 0)
    return sectors


def sorted_by_count(countries):
    return sorted(
        countries, key=lambda country: (-country.initiative_count, collation_key(country.name))
    )


def initiative_list(request):
    return finder_page(request, "initiatives/initiative_list.html")


def visible_initiatives(request):
    """Readers see published initiatives; staff also preview drafts."""
    if request.user.has_perm("initiatives.view_initiative"):
        return Initiative.objects.all()
    return Initiative.objects.published()


def find_initiative(request, slug):
    """The initiative with everything its page shows. Readers get published ones from the
    cache, until the next write; staff previews always come from the database.
    """
    if request.user.has_perm("initiatives.view_initiative"):
        return with_links(get_object_or_404(Initiative.objects.for_detail(), slug=slug))
    return cache.get_or_set(
        versioned_key("initiative", slug),
        lambda: with_links(
            get_object_or_404(Initiative.objects.published().for_detail(), slug=slug)
        ),
    )


def with_links(initiative):
    return listed([initiative], partners_and_tags=True)[0]


@follow_renamed_slugs(visible_initiatives)
def initiative_detail(request, slug):
    initiative = find_initiative(request, slug)
    context = {
        "initiative": initiative,
        "structured_data": structured_data.for_initiative(initiative, request),
        "canonical_url": request.build_absolute_uri(initiative.get_absolute_url()),
    }
    response = render(request, "initiatives/initiative_detail.html", context)
    if not initiative.is_published:
        # A preview is for this staff member only: no shared cache keeps it.
        response["Cache-Control"] = "private, no-store"
    return response


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", f"Disallow: {reverse('admin:index')}", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def country_list(request):
    countries = sorted(listed_countries(), key=lambda country: collation_key(country.name))
    context = {"countries": countries, "world_map": world_map(countries)}
    return render(request, "initiatives/country_list.html", context)


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
        "initiatives/country_detail.html",
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


def sector_list(request):
    sectors = sectors_with_counts()
    return render(request, "initiatives/sector_list.html", {"sectors": sectors})


@follow_renamed_slugs(lambda request: Sector.objects.all())
def sector_detail(request, slug):
    sector = cache.get_or_set(
        versioned_key("sector", slug), lambda: get_object_or_404(Sector, slug=slug)
    )
    return finder_page(
        request, "initiatives/sector_detail.html", {"sector": sector}, fixed={"sector": slug}
    )

"""The site's own pages: the home page, which draws on every part of the directory, and
robots.txt."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from initiatives import facet_index
from initiatives.listing import listed
from initiatives.models import Initiative
from initiatives.views import sectors_with_counts
from networks.models import Facilitator, Network
from networks.views import listed_countries
from networks.world_map import world_map
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
    return render(request, "home.html", context)


def sorted_by_count(countries):
    return sorted(
        countries, key=lambda country: (-country.initiative_count, collation_key(country.name))
    )


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", f"Disallow: {reverse('admin:index')}", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

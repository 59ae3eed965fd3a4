"""The site's own pages: the home page, which draws on every part of the directory, and
robots.txt."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from initiatives import facet_index
from initiatives.listing import listed
from initiatives.models import Initiative
from initiatives.querysets import NEWEST_FIRST
from initiatives.views import sectors_with_counts
from networks.models import Facilitator, Network
from networks.views import listed_countries
from networks.world_map import world_map
from probono import pages
from probono.i18n import collation_key


def home(request):
    countries = sorted_by_count(listed_countries())
    context = {
        "counts": {
            "initiatives": facet_index.current().count(facet_index.ALL),
            "facilitators": Facilitator.objects.count(),
            "countries": sum(1 for country in countries if country.initiative_count),
        },
        **latest_initiatives(),
        "top_countries": countries[:12],
        "world_map": world_map(countries),
        "sectors": sectors_with_counts(),
        "networks": Network.objects.all(),
    }
    context["head"] = pages.head(request, "home")
    return render(request, "home.html", context)


def latest_initiatives(size=6):
    """The most recent work (by start, as the list's default order) and the entries most
    recently added to the directory, which may be older work: six of each, as cards."""
    published = Initiative.objects.published().for_listing()
    recent_work = list(published.order_by(*NEWEST_FIRST)[:size])
    recently_added = list(published.order_by("-published_at", "-pk")[:size])
    # An initiative in both lists is one object, so that one query of links serves both.
    same = {initiative.pk: initiative for initiative in recent_work}
    recently_added = [same.get(initiative.pk, initiative) for initiative in recently_added]
    listed({initiative.pk: initiative for initiative in recent_work + recently_added}.values())
    return {"recent_work": recent_work, "recently_added": recently_added}


def sorted_by_count(countries):
    return sorted(
        countries, key=lambda country: (-country.initiative_count, collation_key(country.name))
    )


def robots_txt(request):
    """Everything public may be crawled. The admin is not named: its address may be the one
    thing that keeps it off scanners' lists (ADMIN_PATH), and its pages say noindex anyway."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow:", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

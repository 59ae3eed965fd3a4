from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django_countries import countries as all_countries

from initiatives.models import Initiative, Sector
from networks.models import Country, Facilitator, Network

PAGE_SIZE = 20


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request):
    published = Initiative.objects.published()
    context = {
        "counts": {
            "initiatives": published.count(),
            "facilitators": Facilitator.objects.count(),
            "countries": Country.objects.filter(initiatives__in=published).distinct().count(),
        },
        "latest": published.for_listing().order_by("-published_at", "-pk")[:6],
        "top_countries": sorted_by_count(Country.objects.listed())[:12],
        "sectors": Sector.objects.with_published_counts(),
        "networks": Network.objects.all(),
    }
    return render(request, "initiatives/home.html", context)


def sorted_by_count(countries):
    return sorted(countries, key=lambda country: (-country.initiative_count, str(country.name)))


def initiative_list(request):
    initiatives = Initiative.objects.published().for_listing().newest_first()
    return render(
        request, "initiatives/initiative_list.html", {"page": paginate(request, initiatives)}
    )


def initiative_detail(request, slug):
    initiative = get_object_or_404(
        Initiative.objects.published()
        .select_related("facilitator", "crisis", "network")
        .prefetch_related("countries", "sectors", "partners", "tags"),
        slug=slug,
    )
    return render(request, "initiatives/initiative_detail.html", {"initiative": initiative})


def country_list(request):
    countries = sorted(Country.objects.listed(), key=lambda country: str(country.name))
    return render(request, "initiatives/country_list.html", {"countries": countries})


def country_detail(request, code):
    if len(code) != 2 or not all_countries.alpha2(code):
        raise Http404("No such country code.")
    if code != code.lower():
        return redirect("country_detail", code=code.lower(), permanent=True)
    country = get_object_or_404(Country, code=code.upper())
    initiatives = Initiative.objects.published().in_country(code).for_listing().newest_first()
    context = {
        "country": country,
        "page": paginate(request, initiatives),
        "facilitators": Facilitator.objects.in_country(code),
    }
    return render(request, "initiatives/country_detail.html", context)


def sector_list(request):
    sectors = Sector.objects.with_published_counts()
    return render(request, "initiatives/sector_list.html", {"sectors": sectors})


def sector_detail(request, slug):
    sector = get_object_or_404(Sector, slug=slug)
    initiatives = Initiative.objects.published().in_sector(slug).for_listing().newest_first()
    context = {"sector": sector, "page": paginate(request, initiatives)}
    return render(request, "initiatives/sector_detail.html", context)

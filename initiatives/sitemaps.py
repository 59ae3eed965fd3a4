from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from initiatives.models import Initiative, Sector
from networks.models import Country, Facilitator, Network


class PagesSitemap(Sitemap):
    def items(self):
        return [
            "home",
            "initiative_list",
            "country_list",
            "sector_list",
            "network_list",
            "facilitator_list",
        ]

    def location(self, name):
        return reverse(name)


class InitiativeSitemap(Sitemap):
    def items(self):
        return Initiative.objects.published().order_by("pk")

    def lastmod(self, initiative):
        return initiative.updated_at


class CountrySitemap(Sitemap):
    def items(self):
        return Country.objects.listed().order_by("code")


class SectorSitemap(Sitemap):
    def items(self):
        return Sector.objects.order_by("slug")


class NetworkSitemap(Sitemap):
    def items(self):
        return Network.objects.order_by("slug")


class FacilitatorSitemap(Sitemap):
    def items(self):
        return Facilitator.objects.order_by("slug")


SITEMAPS = {
    "pages": PagesSitemap,
    "initiatives": InitiativeSitemap,
    "countries": CountrySitemap,
    "sectors": SectorSitemap,
    "networks": NetworkSitemap,
    "facilitators": FacilitatorSitemap,
}

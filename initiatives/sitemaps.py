from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from initiatives.models import Initiative, Sector
from networks.models import Facilitator, Network
from networks.views import listed_countries


class BilingualSitemap(Sitemap):
    """Every page in English and French, each with its hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True
    # Addresses per page of a section (an object in two languages counts twice), each with
    # its three alternates.
    limit = 4000


class PagesSitemap(BilingualSitemap):
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


class InitiativeSitemap(BilingualSitemap):
    def items(self):
        return Initiative.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, initiative):
        return initiative.updated_at

    def get_latest_lastmod(self):
        return Initiative.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class CountrySitemap(BilingualSitemap):
    def items(self):
        return listed_countries()


class SectorSitemap(BilingualSitemap):
    def items(self):
        return Sector.objects.order_by("slug")


class NetworkSitemap(BilingualSitemap):
    def items(self):
        return Network.objects.order_by("slug")


class FacilitatorSitemap(BilingualSitemap):
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

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from initiatives import exports
from initiatives import views as initiative_views
from initiatives.feeds import InitiativeFeed
from initiatives.sitemaps import SITEMAPS
from networks import views as network_views

urlpatterns = [
    path("", initiative_views.home, name="home"),
    path("initiatives/", initiative_views.initiative_list, name="initiative_list"),
    path("initiatives/feed/", InitiativeFeed(), name="initiative_feed"),
    path("initiatives/export.<str:format>", exports.export, name="initiative_export"),
    path("initiatives/<slug:slug>/", initiative_views.initiative_detail, name="initiative_detail"),
    path("countries/", initiative_views.country_list, name="country_list"),
    path("countries/<str:code>/", initiative_views.country_detail, name="country_detail"),
    path("sectors/", initiative_views.sector_list, name="sector_list"),
    path("sectors/<slug:slug>/", initiative_views.sector_detail, name="sector_detail"),
    path("networks/", network_views.network_list, name="network_list"),
    path("networks/<slug:slug>/", network_views.network_detail, name="network_detail"),
    path("facilitators/", network_views.facilitator_list, name="facilitator_list"),
    path("facilitators/<slug:slug>/", network_views.facilitator_detail, name="facilitator_detail"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", initiative_views.robots_txt, name="robots_txt"),
    path(settings.ADMIN_PATH, admin.site.urls),
]

if settings.BENCHMARK:
    urlpatterns += [path("bench/", include("bench.urls"))]

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from initiatives import alert_views, exports, reports, share_cards
from initiatives import views as initiative_views
from initiatives.feeds import InitiativeFeed
from initiatives.sitemaps import SITEMAPS
from networks import embeds
from networks import views as network_views
from probono import health
from probono import views as site_views

XML = "application/xml; charset=utf-8"

# The public pages, feeds and exports: English at the root, French under /fr/. A path without a
# prefix is always English, whatever the browser asks for, so that a shared link opens as sent.
urlpatterns = i18n_patterns(
    path("", site_views.home, name="home"),
    path("initiatives/", initiative_views.initiative_list, name="initiative_list"),
    path("initiatives/feed/", InitiativeFeed(), name="initiative_feed"),
    path("initiatives/export.<str:format>", exports.export, name="initiative_export"),
    path("initiatives/<slug:slug>/", initiative_views.initiative_detail, name="initiative_detail"),
    # What readers send: corrections to an entry, from its page, and new initiatives.
    path("initiatives/<slug:slug>/report/", reports.report_initiative, name="report_initiative"),
    path("facilitators/<slug:slug>/report/", reports.report_facilitator, name="report_facilitator"),
    path("networks/<slug:slug>/report/", reports.report_network, name="report_network"),
    path("propose/", reports.propose_initiative, name="propose_initiative"),
    path("thanks/", reports.report_thanks, name="report_thanks"),
    # Email alerts for a view of the finder (docs/alerts.md); the links from emails are signed.
    path("alerts/new/", alert_views.new_alert, name="alert_new"),
    path("alerts/sent/", alert_views.alert_sent, name="alert_sent"),
    path("alerts/confirm/<str:signed_value>/", alert_views.confirm_alert, name="alert_confirm"),
    path(
        "alerts/unsubscribe/<str:signed_value>/", alert_views.unsubscribe, name="alert_unsubscribe"
    ),
    path("alerts/manage/<str:signed_value>/", alert_views.manage_alerts, name="alert_manage"),
    path("countries/", network_views.country_list, name="country_list"),
    path("countries/<str:code>/", network_views.country_detail, name="country_detail"),
    path("sectors/", initiative_views.sector_list, name="sector_list"),
    path("sectors/<slug:slug>/", initiative_views.sector_detail, name="sector_detail"),
    path("networks/", network_views.network_list, name="network_list"),
    path("networks/<slug:slug>/", network_views.network_detail, name="network_detail"),
    path("facilitators/", network_views.facilitator_list, name="facilitator_list"),
    path("facilitators/<slug:slug>/", network_views.facilitator_detail, name="facilitator_detail"),
    # Each page's share card, at the page's path + "card.png" (initiatives/share_cards.py).
    re_path(r"^(?P<page>(?:[-\w]+/)*)card\.png$", share_cards.share_card, name="share_card"),
    # A list for a partner's site, which only that site may frame (networks/embeds.py).
    path("embed/<slug:slug>/", embeds.embed, name="embed"),
    prefix_default_language=False,
)

# One address each, whatever the language: the sitemap lists both languages' pages.
urlpatterns += [
    # An index of sections, each in pages of a few thousand entries: one sitemap of every
    # initiative in two languages would take longer to build than a worker may take.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section", "content_type": XML},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS, "content_type": XML},
        name="sitemap_section",
    ),
    path("robots.txt", site_views.robots_txt, name="robots_txt"),
    path("embed/<slug:slug>/theme.css", embeds.theme_css, name="embed_theme"),
    path("oembed/", embeds.oembed, name="oembed"),
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", include("initiatives.api.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]

if settings.BENCHMARK:
    urlpatterns += [path("bench/", include("bench.urls"))]

handler500 = "probono.errors.server_error"

"""The admin's list of initiatives: columns that fit beside the filters at 1280 px, and the
filters beyond Django's own."""

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from initiatives.sources import LinkStatus
from networks.models import Network


def short_date(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else None


@admin.display(description=_("run by"), ordering="facilitator__name")
def lead(initiative):
    return initiative.facilitator or initiative.network or initiative.other_organisations


@admin.display(description=_("countries"))
def country_codes(initiative):
    """Codes, which keep the column narrow; each names its country on hover."""
    return format_html_join(
        ", ",
        '<abbr title="{}">{}</abbr>',
        ((country.name, country.code) for country in initiative.countries.all()),
    )


@admin.display(description=_("updated"), ordering="updated_at")
def updated(initiative):
    return short_date(timezone.localtime(initiative.updated_at))


class NeedsAttentionFilter(admin.SimpleListFilter):
    """Drafts that cannot be published yet (entries due for verification have the
    re-verification filter, probono.verification_admin)."""

    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [
            ("incomplete", _("Drafts missing what publishing needs")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "incomplete":
            return queryset.filter(status=Initiative.Status.DRAFT).missing_for_publication()
        return queryset


class NetworkFilter(admin.SimpleListFilter):
    """Initiatives a network runs or one of its members leads, as on the network's page."""

    title = _("network")
    parameter_name = "network"

    def lookups(self, request, model_admin):
        return Network.objects.values_list("slug", "name")

    def queryset(self, request, queryset):
        if network := Network.objects.filter(slug=self.value()).first():
            return queryset.in_networks([network])
        return queryset


class SourceLinksFilter(admin.SimpleListFilter):
    """Initiatives with a source link the checker found dead or failing (docs/sources.md)."""

    title = _("source links")
    parameter_name = "links"

    def lookups(self, request, model_admin):
        return [(LinkStatus.DEAD, _("A dead link")), (LinkStatus.FAILING, _("A failing link"))]

    def queryset(self, request, queryset):
        if self.value() in (LinkStatus.DEAD, LinkStatus.FAILING):
            return queryset.with_source_links(self.value())
        return queryset

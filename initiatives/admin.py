from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from initiatives.models import Crisis, Initiative, Sector
from initiatives.resources import InitiativeResource
from networks.admin import AllOrNothingImportMixin
from networks.models import Network


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Crisis)
class CrisisAdmin(SimpleHistoryAdmin):
    list_display = ["name", "started_on", "ended_on"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


class NetworkFilter(admin.SimpleListFilter):
    """Initiatives a network runs or one of its members leads, as on the network's page."""

    title = _("network")
    parameter_name = "network"

    def lookups(self, request, model_admin):
        return Network.objects.values_list("slug", "name")

    def queryset(self, request, queryset):
        if network := Network.objects.filter(slug=self.value()).first():
            return queryset.in_network(network)
        return queryset


@admin.register(Initiative)
class InitiativeAdmin(AllOrNothingImportMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [InitiativeResource]
    list_display = ["title", "lead", "country_list", "kind", "started_on", "status", "updated_at"]
    list_filter = [
        "status",
        ("countries", admin.RelatedOnlyFieldListFilter),
        ("sectors", admin.RelatedOnlyFieldListFilter),
        NetworkFilter,
        "crisis",
        "kind",
    ]
    list_select_related = ["facilitator", "network"]
    search_fields = ["title", "slug", "summary", "facilitator__name", "tags__name"]
    search_help_text = _("Search titles, summaries, organisations and tags.")
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["facilitator", "network", "partners", "countries", "sectors", "crisis"]
    date_hierarchy = "started_on"
    readonly_fields = ["published_at", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description", "kind", "tags", "language"]}),
        (_("Who"), {"fields": ["facilitator", "network", "partners", "other_organisations"]}),
        (_("Where and what"), {"fields": ["countries", "sectors", "crisis"]}),
        (
            _("When"),
            {"fields": [("started_on", "start_precision"), ("ended_on", "end_precision")]},
        ),
        (
            _("Figures"),
            {"fields": ["volunteers", "participants", "beneficiaries", "figures_note"]},
        ),
        (_("Sources"), {"fields": ["website", "source_url", "last_verified_on"]}),
        (_("Publication"), {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries")

    @admin.display(description=_("run by"), ordering="facilitator__name")
    def lead(self, initiative):
        return initiative.facilitator or initiative.network or initiative.other_organisations

    @admin.display(description=_("countries"))
    def country_list(self, initiative):
        return ", ".join(country.code for country in initiative.countries.all())

    def can_publish(self, request):
        return request.user.has_perm("initiatives.publish_initiative")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if self.can_publish(request) else [*readonly, "status"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            # Bulk deletion does not ask each entry; only drafts may go, one at a time.
            actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Publish selected initiatives"), permissions=["publish"])
    def publish(self, request, queryset):
        ready, not_ready = [], []
        for initiative in queryset.filter(status=Initiative.Status.DRAFT).prefetch_related(
            "countries"
        ):
            missing = initiative.missing_for_publication()
            (not_ready if missing else ready).append((initiative, missing))
        for initiative, _missing in ready:
            initiative.status = Initiative.Status.PUBLISHED
            initiative.published_at = initiative.published_at or timezone.now()
            initiative.save()
        if ready:
            message = ngettext("Published %d initiative.", "Published %d initiatives.", len(ready))
            self.message_user(request, message % len(ready), messages.SUCCESS)
        for initiative, missing in not_ready:
            self.message_user(
                request,
                _("Not published: “%(title)s” still needs %(missing)s.")
                % {"title": initiative.title, "missing": ", ".join(missing)},
                messages.ERROR,
            )

    @admin.action(description=_("Unpublish selected initiatives"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for initiative in queryset.filter(status=Initiative.Status.PUBLISHED):
            initiative.status = Initiative.Status.DRAFT
            initiative.save()
            count += 1
        message = ngettext(
            "Unpublished %d initiative: it is a draft again.",
            "Unpublished %d initiatives: they are drafts again.",
            count,
        )
        self.message_user(request, message % count, messages.SUCCESS)

    def has_publish_permission(self, request):
        return self.can_publish(request)

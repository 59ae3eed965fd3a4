from django.contrib import admin, messages
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

# The moderation queue of what readers send, registered by its own module.
from initiatives import moderation_admin  # noqa: F401
from initiatives.admin_forms import InitiativeForm, SourceInline
from initiatives.admin_list import (
    NeedsAttentionFilter,
    NetworkFilter,
    SourceLinksFilter,
    country_codes,
    lead,
    updated,
)
from initiatives.models import Crisis, Initiative, Sector, Source
from initiatives.resources import InitiativeResource
from networks.admin import AllOrNothingImportMixin
from networks.import_admin import ReadableImportMixin
from networks.import_uploads import ImportUploadsMixin
from probono.admin_search import RankedSearchMixin, RelatedOnlyByNameFilter
from probono.safe_edits import SafeEditsAdmin
from probono.verification_admin import VerificationAdmin, last_verified


# English and French fields side by side, each pair on one line: no tabs, no extra JavaScript.
@admin.register(Sector)
class SectorAdmin(RankedSearchMixin, SafeEditsAdmin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_en", "name_fr", "slug", "description_en", "description_fr"]
    search_names = ["name_en", "name_fr"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": [("name_en", "name_fr"), "slug", ("description_en", "description_fr")]})
    ]


@admin.register(Crisis)
class CrisisAdmin(RankedSearchMixin, SafeEditsAdmin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "started_on", "ended_on"]
    search_fields = ["name_en", "name_fr", "slug", "description_en", "description_fr"]
    search_names = ["name_en", "name_fr"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name_en", "name_fr"),
                    "slug",
                    ("description_en", "description_fr"),
                    ("started_on", "ended_on"),
                ]
            },
        )
    ]


# taggit's own admin, with the ranked search: the initiative form picks tags with its autocomplete.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(RankedSearchMixin, TaggitTagAdmin):
    pass


NOT_PUBLISHED_CHANGED = _("Not published: “%(title)s” changed since you opened the list.")
NOT_UNPUBLISHED_CHANGED = _("Not unpublished: “%(title)s” changed since you opened the list.")


@admin.register(Initiative)
class InitiativeAdmin(
    VerificationAdmin,
    SafeEditsAdmin,
    AllOrNothingImportMixin,
    ReadableImportMixin,
    ImportUploadsMixin,
    ImportExportModelAdmin,
    SimpleHistoryAdmin,
    TranslationAdmin,
):
    resource_classes = [InitiativeResource]
    form = InitiativeForm
    inlines = [SourceInline]
    object_history_template = "admin/initiatives/initiative/object_history.html"
    list_display = ["title", "status", country_codes, lead, last_verified, updated]
    list_filter = [
        "status",
        NeedsAttentionFilter,
        ("countries", RelatedOnlyByNameFilter),
        ("sectors", RelatedOnlyByNameFilter),
        NetworkFilter,
        SourceLinksFilter,
        "crisis",
        "kind",
    ]
    list_select_related = ["facilitator", "network"]
    search_fields = [
        "title_en",
        "title_fr",
        "slug",
        "summary_en",
        "summary_fr",
        "facilitator__name",
        "tags__name",
    ]
    search_help_text = _("Search titles, summaries, organisations and tags.")
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["facilitator", "network", "partners", "countries", "sectors", "crisis"]
    date_hierarchy = "started_on"
    readonly_fields = ["published_at", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("title_en", "title_fr"),
                    "slug",
                    ("summary_en", "summary_fr"),
                    ("description_en", "description_fr"),
                    "language",
                    "kind",
                    "tags",
                ]
            },
        ),
        (_("Who"), {"fields": ["facilitator", "network", "partners", "other_organisations"]}),
        (_("Where and what"), {"fields": ["countries", "sectors", "crisis"]}),
        (
            _("When"),
            {"fields": [("started_on", "start_precision"), ("ended_on", "end_precision")]},
        ),
        (
            _("Figures"),
            {
                "fields": [
                    "volunteers",
                    ("participants", "participants_unit"),
                    "beneficiaries",
                    "figures_note",
                ]
            },
        ),
        (_("Links"), {"fields": ["website"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    ("last_verified_on", "verification_method"),
                    "last_verified_by",
                    "published_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries")

    def history_view(self, request, object_id, extra_context=None):
        # Sources have a history of their own, listed under the initiative's.
        source_history = (
            Source.history.filter(initiative_id=object_id)
            .select_related("history_user")
            .order_by("-history_date")
        )
        context = {"source_history": source_history, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def can_publish(self, request):
        return request.user.has_perm("initiatives.publish_initiative")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if self.can_publish(request) else [*readonly, "status"]

    def save_model(self, request, obj, form, change):
        if change and not self.can_publish(request):
            # The change form shows them the status read-only; a revert from the history would
            # bring back the version's own, publishing a retracted entry or retracting one.
            obj.status, obj.published_at = Initiative.objects.values_list(
                "status", "published_at"
            ).get(pk=obj.pk)
        super().save_model(request, obj, form, change)

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
    @transaction.atomic
    def publish(self, request, queryset):
        ready = []
        drafts = queryset.filter(status=Initiative.Status.DRAFT)
        unchanged = self.unchanged_since_seen(request, drafts, NOT_PUBLISHED_CHANGED)
        prefetch_related_objects(unchanged, "countries", "sources")
        for initiative in unchanged:
            if missing := initiative.missing_for_publication():
                self.message_user(
                    request,
                    _("Not published: “%(title)s” still needs %(missing)s.")
                    % {
                        "title": initiative.title,
                        "missing": get_text_list(list(missing.values()), _("and")),
                    },
                    messages.ERROR,
                )
                continue
            initiative.status = Initiative.Status.PUBLISHED
            initiative.published_at = initiative.published_at or timezone.now()
            initiative.save()
            ready.append(initiative)
        if ready:
            message = ngettext("Published %d initiative.", "Published %d initiatives.", len(ready))
            self.message_user(request, message % len(ready), messages.SUCCESS)

    @admin.action(description=_("Unpublish selected initiatives"), permissions=["publish"])
    @transaction.atomic
    def unpublish(self, request, queryset):
        published = queryset.filter(status=Initiative.Status.PUBLISHED)
        count = 0
        for initiative in self.unchanged_since_seen(request, published, NOT_UNPUBLISHED_CHANGED):
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

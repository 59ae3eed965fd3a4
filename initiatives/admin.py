import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.text import get_text_list, slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from initiatives.admin_list import (
    NeedsAttentionFilter,
    NetworkFilter,
    country_codes,
    last_verified,
    lead,
    updated,
)
from initiatives.models import Crisis, Initiative, Sector, Source
from initiatives.resources import InitiativeResource
from networks.admin import AllOrNothingImportMixin
from networks.import_admin import ReadableImportMixin
from probono.admin_search import RankedSearchMixin, RelatedOnlyByNameFilter
from probono.safe_edits import RevisionedForm, SafeEditsAdmin


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


class TagsField(forms.ModelMultipleChoiceField):
    """Tags picked with the admin's autocomplete; a name typed that no tag has yet is a new tag."""

    def clean(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        chosen = [str(item).strip() for item in value or [] if str(item).strip()]
        existing = dict(
            Tag.objects.filter(pk__in=[item for item in chosen if item.isdigit()]).values_list(
                "pk", "name"
            )
        )
        return [existing.get(int(item), item) if item.isdigit() else item for item in chosen]

    def prepare_value(self, value):
        if hasattr(value, "__iter__") and not isinstance(value, str):
            return [getattr(tag, "pk", tag) for tag in value]
        return super().prepare_value(value)


class TagsWidget(AutocompleteSelectMultiple):
    """Shows the new names typed in a form sent back with errors, beside the existing tags."""

    def optgroups(self, name, value, attr=None):
        known = [item for item in value if str(item).isdigit()]
        groups = super().optgroups(name, known, attr)
        options = groups[0][1]
        for item in value:
            if item and not str(item).isdigit():
                options.append(self.create_option(name, item, item, True, len(options)))
        return groups


class InitiativeForm(RevisionedForm):
    """A draft needs only a title, in either language (the model's clean() asks for one);
    publishing needs the rest (Initiative.missing_for_publication), checked here, where the
    countries chosen are known, and by SourceFormSet for the sources."""

    tags = TagsField(
        queryset=Tag.objects.all(),
        required=False,
        # data-tags lets the autocomplete (Select2) accept a name no tag has yet.
        widget=TagsWidget(
            Initiative._meta.get_field("tags"), admin.site, attrs={"data-tags": "true"}
        ),
        help_text=_("Pick existing tags, or type a new one and press Enter."),
    )

    class Meta:
        model = Initiative
        fields = ["tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title_en", "slug"):
            if name in self.fields:
                self.fields[name].required = False
        if "slug" in self.fields:
            self.fields["slug"].help_text = _("Left empty, it is made from the title.")

    def clean_slug(self):
        """The slug typed, or one made from the title (the admin's JavaScript fills it in as
        the title is typed; without it, or if it is cleared, this does)."""
        if slug := self.cleaned_data.get("slug"):
            return slug
        title = self.data.get(self.add_prefix("title_en")) or self.data.get(
            self.add_prefix("title_fr"), ""
        )
        base = slugify(title)[:90] or "initiative"
        taken = set(
            Initiative.objects.exclude(pk=self.instance.pk)
            .filter(slug__startswith=base)
            .values_list("slug", flat=True)
        )
        return next(
            candidate
            for candidate in (base if n == 1 else f"{base}-{n}" for n in range(1, len(taken) + 2))
            if candidate not in taken
        )

    def clean(self):
        cleaned_data = super().clean()
        status = cleaned_data.get("status", self.instance.status)
        if status != Initiative.Status.PUBLISHED or self.errors:
            return cleaned_data
        # The entry with this form's values; the instance itself takes them only after clean().
        proposed = copy.copy(self.instance)
        for field in Initiative._meta.concrete_fields:
            if field.name in cleaned_data:
                setattr(proposed, field.name, cleaned_data[field.name])
        missing = proposed.missing_for_publication(
            countries=cleaned_data.get("countries"), sources=["checked by SourceFormSet"]
        )
        for field, what in missing.items():
            if field in self.fields:
                self.add_error(field, _("Publishing needs %(what)s.") % {"what": what})
        if missing:
            self.add_error(
                None,
                _("Not published yet: it still needs %(missing)s. Save it as a draft, or add them.")
                % {"missing": get_text_list(list(missing.values()), _("and"))},
            )
        return cleaned_data


class SourceForm(forms.ModelForm):
    """Primary is checked across the formset (SourceFormSet), not row by row against the
    stored rows: moving the primary mark from one source to another is one edit."""

    is_primary = forms.BooleanField(
        label=Source._meta.get_field("is_primary").verbose_name,
        help_text=Source._meta.get_field("is_primary").help_text,
        required=False,
    )

    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "published_on", "accessed_on", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("is_primary", self.instance.is_primary)
        # A source added now was most likely read today.
        self.fields["accessed_on"].initial = timezone.localdate

    def clean(self):
        cleaned_data = super().clean()
        self.instance.is_primary = cleaned_data.get("is_primary", False)
        return cleaned_data


class SourceFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        # Stored sources that the form left out (a form sent without them) stay as they are.
        if self.instance.pk:
            shown = [form.instance.pk for form in self.initial_forms]
            kept += self.instance.sources.exclude(pk__in=shown)
        primaries = sum(source.is_primary for source in kept)
        if primaries > 1:
            raise ValidationError(_("Mark only one source as primary."))
        if kept and not primaries:
            raise ValidationError(_("Mark one source as primary."))
        if not kept and self.instance.status == Initiative.Status.PUBLISHED:
            raise ValidationError(_("A published initiative needs a source."))

    def save(self, commit=True):
        # The one primary source a row at a time: the mark leaves the old one before it reaches
        # the new one, which the database's constraint would otherwise refuse.
        demoted = [form.instance.pk for form in self.initial_forms if not form.instance.is_primary]
        Source.objects.filter(pk__in=demoted, is_primary=True).update(is_primary=False)
        return super().save(commit)


class SourceInline(admin.StackedInline):
    model = Source
    form = SourceForm
    formset = SourceFormSet
    # The form's own field, not the model's (SourceForm).
    exclude = ["is_primary"]
    extra = 0
    fields = [
        ("url", "is_primary"),
        ("title", "publisher"),
        ("published_on", "accessed_on"),
        "order",
    ]


NOT_PUBLISHED_CHANGED = _("Not published: “%(title)s” changed since you opened the list.")
NOT_UNPUBLISHED_CHANGED = _("Not unpublished: “%(title)s” changed since you opened the list.")


@admin.register(Initiative)
class InitiativeAdmin(
    SafeEditsAdmin,
    AllOrNothingImportMixin,
    ReadableImportMixin,
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
            {"fields": ["status", "last_verified_on", "published_at", "created_at", "updated_at"]},
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

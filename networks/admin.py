from django import forms as django_forms
from django.contrib import admin, messages
from django.core import signing
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from networks import embed_admin  # noqa: F401 (registers the embed partners)
from networks.import_admin import ReadableImportMixin
from networks.import_uploads import ImportUploadsMixin, SignedFileConfirmForm
from networks.models import Country, Facilitator, Membership, Network
from networks.resources import FacilitatorResource
from probono.admin_search import NAME_STARTS, RankedSearchMixin, RelatedOnlyByNameFilter, name_rank
from probono.safe_edits import SafeEditsAdmin
from probono.verification_admin import (
    VERIFICATION_FIELDSET,
    VerificationAdmin,
    VerifiedForm,
    last_verified,
)

PREVIEW_SALT = "import-preview"


@admin.register(Country)
class CountryAdmin(RankedSearchMixin, admin.ModelAdmin):
    """Read-only list of ISO countries, there so that relations to them get autocomplete."""

    list_display = ["code", "name"]
    search_fields = ["code"]
    listed_by_name = True

    def search_rank(self, request, term, country):
        """By name in the editor's language, which the database does not hold; or by code."""
        if term == country.code.lower():
            return NAME_STARTS
        return name_rank(term, [country.name])

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConfirmImportForm(SignedFileConfirmForm):
    previewed_revisions = django_forms.CharField(widget=django_forms.HiddenInput)

    def clean_previewed_revisions(self):
        try:
            return signing.loads(self.cleaned_data["previewed_revisions"], salt=PREVIEW_SALT)
        except signing.BadSignature:
            raise django_forms.ValidationError(_("Import the file again.")) from None


class AllOrNothingImportMixin:
    """A confirmed import saves every row of its preview or none, and none over an entry that
    someone changed since the preview; it says which rows and why, instead of "finished"."""

    confirm_form_class = ConfirmImportForm

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        if isinstance(form, ConfirmImportForm):
            previewed = form.cleaned_data["previewed_revisions"]
        elif form is not None:
            # Filled by the preview's dry run, then signed into the confirm form.
            previewed = form.previewed_revisions = {}
        else:
            previewed = None
        return {**super().get_import_resource_kwargs(request, **kwargs), "previewed": previewed}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        previewed = getattr(import_form, "previewed_revisions", {})
        signed = signing.dumps(previewed, salt=PREVIEW_SALT, compress=True)
        return {**initial, "previewed_revisions": signed}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, _("Nothing was imported."))
            for row in result.invalid_rows:
                problems = " ".join(
                    str(error) for errors in row.error_dict.values() for error in errors
                )
                messages.error(
                    request,
                    _("Row %(number)s: %(problems)s")
                    % {"number": row.number, "problems": problems},
                )
            if result.has_errors():
                messages.error(request, _("Import the file again to see its preview."))
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return super().process_result(result, request)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["network"]
    fields = ["network", "joined_year", "left_year", "note", "source_url"]
    # Every column beside the sidebar at 1280 px: the note wraps, the source's link goes.
    formfield_overrides = {
        models.CharField: {"widget": django_forms.Textarea(attrs={"rows": 3, "cols": 20})},
        models.URLField: {"widget": django_forms.URLInput(attrs={"size": 16})},
    }


# English and French descriptions side by side on one line: no tabs, no extra JavaScript.
@admin.register(Network)
class NetworkAdmin(
    RankedSearchMixin, VerificationAdmin, SafeEditsAdmin, SimpleHistoryAdmin, TranslationAdmin
):
    form = VerifiedForm
    list_display = ["name", "acronym", "founded_year", "headquarters_country", last_verified]
    search_fields = ["name", "slug", "acronym", "description_en", "description_fr"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "acronym", ("description_en", "description_fr")]}),
        (
            _("Where and when"),
            {"fields": ["website", "founded_year", "headquarters_country", "headquarters_city"]},
        ),
        VERIFICATION_FIELDSET,
    ]


@admin.register(Facilitator)
class FacilitatorAdmin(
    RankedSearchMixin,
    VerificationAdmin,
    SafeEditsAdmin,
    AllOrNothingImportMixin,
    ReadableImportMixin,
    ImportUploadsMixin,
    ImportExportModelAdmin,
    SimpleHistoryAdmin,
    TranslationAdmin,
):
    resource_classes = [FacilitatorResource]
    form = VerifiedForm
    list_display = [
        "name",
        "headquarters_country",
        "city",
        "founded_year",
        "is_active",
        last_verified,
    ]
    list_filter = [
        "is_active",
        "networks",
        ("countries", RelatedOnlyByNameFilter),
        "headquarters_country",
    ]
    search_fields = ["name", "slug", "acronym", "city", "description_en", "description_fr"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["countries"]
    inlines = [MembershipInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "acronym",
                    ("description_en", "description_fr"),
                    "website",
                ]
            },
        ),
        (
            _("Where and when"),
            {"fields": ["headquarters_country", "city", "countries", "founded_year"]},
        ),
        (_("Status"), {"fields": ["is_active", "closed_year"]}),
        VERIFICATION_FIELDSET,
    ]

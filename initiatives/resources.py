"""CSV import and export of initiatives in the admin; the shared rules are in networks.resources."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from taggit.models import Tag

from initiatives.models import Crisis, Initiative, Sector, Source
from networks.models import WEB_LINK, Facilitator, Network
from networks.resources import (
    SEPARATOR,
    CountriesWidget,
    DirectoryResource,
    SlugOrNameWidget,
    SlugsOrNamesWidget,
    split,
)

MAX_TAG_LENGTH = Tag._meta.get_field("name").max_length


class TagsWidget(widgets.ManyToManyWidget):
    """Tag names, which taggit's set() takes as they are, creating the new ones."""

    def __init__(self):
        super().__init__(Tag, separator=SEPARATOR, field="name")

    def clean(self, value, row=None, **kwargs):
        names = split(value)
        if too_long := [name for name in names if len(name) > MAX_TAG_LENGTH]:
            raise ValueError(
                _("A tag has at most %(max)d characters: %(names)s")
                % {"max": MAX_TAG_LENGTH, "names": ", ".join(too_long)}
            )
        return names

    def render(self, value, obj=None, **kwargs):
        names = [] if value is None else [tag.name for tag in value.all()]
        return SEPARATOR.join(sorted(names, key=str.casefold))


class StatusWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs).strip() or None


class InitiativeResource(DirectoryResource):
    facilitator = fields.Field(
        attribute="facilitator", column_name="facilitator", widget=SlugOrNameWidget(Facilitator)
    )
    network = fields.Field(
        attribute="network", column_name="network", widget=SlugOrNameWidget(Network)
    )
    partners = fields.Field(
        attribute="partners", column_name="partners", widget=SlugsOrNamesWidget(Facilitator)
    )
    countries = fields.Field(
        attribute="countries", column_name="countries", widget=CountriesWidget()
    )
    sectors = fields.Field(
        attribute="sectors", column_name="sectors", widget=SlugsOrNamesWidget(Sector)
    )
    crisis = fields.Field(attribute="crisis", column_name="crisis", widget=SlugOrNameWidget(Crisis))
    tags = fields.Field(attribute="tags", column_name="tags", widget=TagsWidget())
    # The primary source's address, as in the spreadsheets from before initiatives had several
    # sources: import_instance reads it, after_save_instance makes it the primary source.
    source_url = fields.Field(column_name="source_url", dehydrate_method="primary_source_url")
    # An empty cell is not saved: it leaves the status as it is, and a new initiative a draft.
    status = fields.Field(
        attribute="status", column_name="status", widget=StatusWidget(), saves_null_values=False
    )

    # TAGGIT_CASE_INSENSITIVE: set() keeps "petition" when given "Petition".
    case_insensitive_columns = frozenset({"tags"})

    example_row = {
        "slug": "example-tenant-legal-clinic",
        "title_en": "Free legal clinic for tenants facing eviction",
        "title_fr": "Permanence juridique gratuite pour les locataires menacés d'expulsion",
        "summary_en": "Volunteer lawyers answered tenants' questions about eviction notices and "
        "unpaid rent, at a weekly drop-in and by phone.",
        "summary_fr": "Des avocats bénévoles ont répondu aux questions des locataires sur les "
        "avis d'expulsion et les loyers impayés, lors d'une permanence hebdomadaire et par "
        "téléphone.",
        "description_en": "When the courts reopened after the first lockdown, many tenants "
        "received eviction notices they did not understand.\n\nVolunteer lawyers took turns "
        "at a weekly drop-in in a community centre and on a phone line, and referred the most "
        "urgent cases to legal aid.",
        "kind": "legal-advice",
        "other_organisations": "A tenants' association and the local bar",
        "countries": "BE|FR",
        "sectors": "legal|human-rights",
        "crisis": "covid-19",
        "tags": "housing|eviction",
        "started_on": "2020-06-01",
        "start_precision": "month",
        "end_precision": "day",
        "volunteers": "35",
        "participants_unit": "participants",
        "beneficiaries": "600",
        "figures_note": "Tenants advised in the first year",
        "website": "https://example.org/tenant-clinic",
        "source_url": "https://example.org/tenant-clinic/first-year-report",
        "last_verified_on": "2024-05-31",
        "language": "en",
    }

    class Meta:
        model = Initiative
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title_en",
            "title_fr",
            "summary_en",
            "summary_fr",
            "description_en",
            "description_fr",
            "kind",
            "facilitator",
            "network",
            "partners",
            "other_organisations",
            "countries",
            "sectors",
            "crisis",
            "tags",
            "started_on",
            "start_precision",
            "ended_on",
            "end_precision",
            "volunteers",
            "participants",
            "participants_unit",
            "beneficiaries",
            "figures_note",
            "website",
            "source_url",
            "last_verified_on",
            "language",
            "status",
        ]

    def get_queryset(self):
        # The file's initiatives, with what their cells show, read once for all of its rows.
        return self.filter_export(super().get_queryset())

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("facilitator", "network", "crisis").prefetch_related(
            "partners", "countries", "sectors", "tags", "sources"
        )

    def primary_source_url(self, initiative):
        if (url := getattr(initiative, "imported_source_url", None)) is not None:
            return url
        if initiative.pk is None:
            return ""
        primary = next((source for source in initiative.sources.all() if source.is_primary), None)
        return primary.url if primary else ""

    def import_instance(self, instance, row, **kwargs):
        status = instance.status
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if error := self.read_source_url(instance, row):
            errors["source_url"] = [ValidationError(error)]
        if instance.status == Initiative.Status.PUBLISHED:
            self.check_publication(instance, row, errors)
        # The admin shows the status read-only to whoever may not publish; so does the import.
        user = kwargs.get("user")
        if (
            instance.status != status
            and user
            and not user.has_perm("initiatives.publish_initiative")
        ):
            errors["status"] = [ValidationError(_("You may not publish or unpublish initiatives."))]
        if errors:
            raise ValidationError(errors)

    def check_publication(self, instance, row, errors):
        """A published row needs what the admin's form asks before publishing (a draft only a
        title); its source is read_source_url's to check, its countries are the row's."""
        countries = self.fields["countries"]
        if "countries" in errors:
            return
        missing = instance.missing_for_publication(
            countries=countries.clean(row) if countries.column_name in row else None,
            sources=["checked by read_source_url"],
        )
        for field, what in missing.items():
            errors.setdefault(field, []).append(
                ValidationError(_("Publishing needs %(what)s.") % {"what": what})
            )

    def read_source_url(self, instance, row):
        """Keep the row's source address on the instance, for after_save_instance; or say
        what is wrong with it."""
        url = str(row.get("source_url") or "").strip()
        if url:
            try:
                Source._meta.get_field("url").clean(url, None)
                WEB_LINK(url)
            except ValidationError as error:
                return error.messages[0]
            instance.imported_source_url = url
        elif instance.status == Initiative.Status.PUBLISHED and not (
            instance.pk and instance.sources.exists()
        ):
            return _("A published initiative needs a source.")
        return None

    def after_save_instance(self, instance, row, **kwargs):
        """The row's source address becomes the primary source; the former primary one stays,
        as another source."""
        url = getattr(instance, "imported_source_url", None)
        if not url:
            return
        sources = instance.sources.all()
        if sources.filter(url=url, is_primary=True).exists():
            return
        for former in sources.filter(is_primary=True):
            former.is_primary = False
            former.save()
        source = sources.filter(url=url).first() or Source(
            initiative=instance,
            url=url,
            accessed_on=instance.last_verified_on or timezone.localdate(),
        )
        source.is_primary = True
        source.save()

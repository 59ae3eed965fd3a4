"""CSV import and export of initiatives in the admin; the shared rules are in networks.resources."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from taggit.models import Tag

from initiatives.models import Crisis, Initiative, Sector
from networks.models import Facilitator, Network
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
    # An empty cell is not saved: it leaves the status as it is, and a new initiative a draft.
    status = fields.Field(
        attribute="status", column_name="status", widget=StatusWidget(), saves_null_values=False
    )

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
            "beneficiaries",
            "figures_note",
            "website",
            "source_url",
            "last_verified_on",
            "language",
            "status",
        ]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("facilitator", "network", "crisis").prefetch_related(
            "partners", "countries", "sectors", "tags"
        )

    def import_instance(self, instance, row, **kwargs):
        status = instance.status
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        countries = self.fields["countries"]
        if "countries" not in errors and not (
            countries.clean(row) if countries.column_name in row else instance.pk
        ):
            errors["countries"] = [ValidationError(_("Give at least one country."))]
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

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # The base class compares many-to-many values by primary key, but tags come as names.
        tags = self.fields["tags"]
        rest = {column: value for column, value in row.items() if column != tags.column_name}
        if not super().skip_row(instance, original, rest, import_validation_errors):
            return False
        if tags.column_name not in row:
            return True
        stored = original.tags.names() if original.pk else []
        # TAGGIT_CASE_INSENSITIVE: set() keeps "petition" when given "Petition".
        return {name.casefold() for name in tags.clean(row)} == {name.casefold() for name in stored}

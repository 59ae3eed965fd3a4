"""CSV import and export of facilitators, and what the import of initiatives shares with it.

Cells hold slugs, ISO codes or names; several values are separated by "|". Rows are matched by
slug, checked by the model's full_clean(), and a row that changes nothing is skipped.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from import_export import fields, resources, widgets

from networks.models import Country, Facilitator
from probono.safe_edits import changes_since
from probono.spreadsheets import escape_formula, unescape_formula

SEPARATOR = "|"
LINE_ENDING = re.compile(r"\r\n?")


def same_text(a, b):
    return LINE_ENDING.sub("\n", a) == LINE_ENDING.sub("\n", b)


def split(value):
    """The values of a cell: "BE | fr|" -> ["BE", "fr"]."""
    return [part.strip() for part in str(value or "").split(SEPARATOR) if part.strip()]


def country_code(value):
    """The ISO code for "pt", "PT" or an English name in any case ("portugal"), or ""."""
    return countries.alpha2(value) or countries.by_name(value)


def unknown(model, values):
    opts = model._meta
    kind = opts.verbose_name if len(values) == 1 else opts.verbose_name_plural
    return _("Unknown %(kind)s: %(values)s") % {"kind": kind, "values": ", ".join(values)}


def find(model, values):
    """The objects with these slugs or, failing that, these names (ignoring case)."""
    found, missing = [], []
    for value in values:
        obj = model.objects.filter(slug=value).first()
        if obj is None:
            named = list(model.objects.filter(name__iexact=value)[:2])
            if len(named) > 1:
                raise ValueError(
                    _("Several %(kind)s are named “%(value)s”: give the slug.")
                    % {"kind": model._meta.verbose_name_plural, "value": value}
                )
            obj = named[0] if named else None
        if obj is None:
            missing.append(value)
        elif obj not in found:
            found.append(obj)
    if missing:
        raise ValueError(unknown(model, missing))
    return found


class SlugOrNameWidget(widgets.ForeignKeyWidget):
    """One related object, found by slug or name; exported as its slug."""

    def __init__(self, model):
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        return find(self.model, [value])[0] if value else None


class SlugsOrNamesWidget(widgets.ManyToManyWidget):
    """Related objects, found by slug or name; exported as slugs."""

    def __init__(self, model):
        super().__init__(model, separator=SEPARATOR, field="slug")

    def clean(self, value, row=None, **kwargs):
        return find(self.model, split(value))


class CountriesWidget(widgets.ManyToManyWidget):
    """Countries by ISO code or English name; exported as upper-case codes."""

    def __init__(self):
        super().__init__(Country, separator=SEPARATOR, field="code")

    def clean(self, value, row=None, **kwargs):
        codes = {name: country_code(name) for name in split(value)}
        found = Country.objects.in_bulk([code for code in codes.values() if code])
        missing = [name for name, code in codes.items() if code not in found]
        if missing:
            raise ValueError(unknown(Country, missing))
        return [found[code] for code in dict.fromkeys(codes.values())]


class CountryWidget(widgets.CharWidget):
    """A django-countries field, by ISO code or English name; exported as the code."""

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        code = value and country_code(value)
        if value and not code:
            raise ValueError(unknown(Country, [value]))
        return code

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class WholeNumberWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ArithmeticError, ValueError):  # decimal.InvalidOperation is an ArithmeticError.
            raise ValueError(_("Enter a whole number.")) from None


class IsoDateWidget(widgets.DateWidget):
    """Dates as 2020-03-28 only: Django's other input formats read 05/04/2020 as the 4th of May."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(_("Enter the date as YYYY-MM-DD, such as 2020-03-28.")) from None


class DirectoryResource(resources.ModelResource):
    """What the imports and exports of the directory share."""

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "DateField": IsoDateWidget,
        "PositiveIntegerField": WholeNumberWidget,
        "PositiveSmallIntegerField": WholeNumberWidget,
    }

    class Meta:
        skip_unchanged = True
        clean_model_instances = True

    def __init__(self, previewed=None, **kwargs):
        super().__init__(**kwargs)
        # Each row's entry at the preview, by slug: its revision, 0 if there was none. The
        # dry run records them; the confirmed import refuses rows whose entry changed since.
        self.previewed = {} if previewed is None else previewed

    def import_data(self, *args, **kwargs):
        # The admin's confirm step does not ask for this; a row that has become invalid since the
        # preview must not let the others be saved.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(*args, **kwargs)

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return escape_formula(value) if isinstance(value, str) else value

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = unescape_formula(value)
        # Files from before the French fields: a "title" column is the English title.
        for column in list(row):
            english = f"{column}_en"
            if english in self.fields and english not in row:
                row[english] = row.pop(column)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Files are read in text mode: the CRLF that admin text areas save comes back as LF.
        value = row.get(field.column_name)
        if not is_m2m and isinstance(value, str):
            current = field.get_value(instance)
            # An empty cell is no change to a translation never written (NULL).
            if current is None and not value:
                return
            if isinstance(current, str) and same_text(current, value):
                return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # The base class reads many-to-many cells only once the row is saved: check them now.
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error))]
        if conflict := self.changed_since_preview(instance, kwargs.get("dry_run")):
            errors.setdefault("slug", []).append(ValidationError(conflict))
        if errors:
            raise ValidationError(errors)

    def changed_since_preview(self, instance, dry_run):
        current = instance.revision if instance.pk else 0
        if dry_run:
            self.previewed[instance.slug] = current
            return None
        previewed = self.previewed.get(instance.slug, current)
        if previewed == current:
            return None
        if not previewed:
            return _("Someone else added “%(slug)s” since your preview.") % {"slug": instance.slug}
        return _("This %(kind)s changed since your preview. %(changes)s") % {
            "kind": instance._meta.verbose_name,
            "changes": changes_since(instance, previewed),
        }


class FacilitatorResource(DirectoryResource):
    headquarters_country = fields.Field(
        attribute="headquarters_country", column_name="headquarters_country", widget=CountryWidget()
    )
    countries = fields.Field(
        attribute="countries", column_name="countries", widget=CountriesWidget()
    )

    class Meta:
        model = Facilitator
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "acronym",
            "description_en",
            "description_fr",
            "website",
            "founded_year",
            "headquarters_country",
            "city",
            "countries",
            "is_active",
            "closed_year",
        ]

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("countries")

"""CSV import and export of facilitators, and what the import of initiatives shares with it.

Cells hold slugs, ISO codes or names; several values are separated by "|". Rows are matched by
slug, checked by the model's full_clean() (networks.import_checks), and a row that changes
nothing is skipped. The preview, a dry run, writes nothing: networks.import_preview is what it
shows of each row. Each resource has an example row, for the template the admin offers.
"""

import re
import time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from import_export import fields, resources, widgets

from networks import import_checks
from networks.import_preview import ChangedColumns, PreviewResult, PreviewRow, cell_values
from networks.models import Country, Facilitator
from probono.history import finish_entry, start_entry
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


def find(model, values, known):
    """The objects with these slugs or, failing that, these names (ignoring case). `known` keeps
    what each value found, for the rows after it: a widget keeps it for its resource's import."""
    found, missing = [], []
    for value in values:
        if value not in known:
            known[value] = look_up(model, value)
        obj = known[value]
        if obj is None:
            missing.append(value)
        elif obj not in found:
            found.append(obj)
    if missing:
        raise ValueError(unknown(model, missing))
    return found


def look_up(model, value):
    obj = model.objects.filter(slug=value).first()
    if obj is None:
        named = list(model.objects.filter(name__iexact=value)[:2])
        if len(named) > 1:
            raise ValueError(
                _("Several %(kind)s are named “%(value)s”: give the slug.")
                % {"kind": model._meta.verbose_name_plural, "value": value}
            )
        obj = named[0] if named else None
    return obj


class SlugOrNameWidget(widgets.ForeignKeyWidget):
    """One related object, found by slug or name; exported as its slug."""

    def __init__(self, model):
        super().__init__(model, field="slug")
        self.known = {}

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        return find(self.model, [value], self.known)[0] if value else None


class SlugsOrNamesWidget(widgets.ManyToManyWidget):
    """Related objects, found by slug or name; exported as slugs."""

    def __init__(self, model):
        super().__init__(model, separator=SEPARATOR, field="slug")
        self.known = {}

    def clean(self, value, row=None, **kwargs):
        return find(self.model, split(value), self.known)


class CountriesWidget(widgets.ManyToManyWidget):
    """Countries by ISO code or English name; exported as upper-case codes."""

    def __init__(self):
        super().__init__(Country, separator=SEPARATOR, field="code")
        self.by_code = None  # read once per import, at its first row

    def clean(self, value, row=None, **kwargs):
        if self.by_code is None:
            self.by_code = Country.objects.in_bulk()
        codes = {name: country_code(name) for name in split(value)}
        missing = [name for name, code in codes.items() if code not in self.by_code]
        if missing:
            raise ValueError(unknown(Country, missing))
        return [self.by_code[code] for code in dict.fromkeys(codes.values())]


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
        # The file's entries in one query, not one per row.
        instance_loader_class = import_checks.FileEntries

    # One row of the import's downloadable template, by column; the columns not named are empty.
    example_row = {}
    # Columns whose case changes nothing (skip_row).
    case_insensitive_columns = frozenset()

    def __init__(self, previewed=None, **kwargs):
        super().__init__(**kwargs)
        # Each row's entry at the preview, by slug: its revision, 0 if there was none. The
        # dry run records them; the confirmed import refuses rows whose entry changed since.
        self.previewed = {} if previewed is None else previewed
        self.rows_by_slug = {}

    @classmethod
    def get_result_class(cls):
        return PreviewResult

    @classmethod
    def get_row_result_class(cls):
        return PreviewRow

    @classmethod
    def get_diff_class(cls):
        return ChangedColumns

    def template_row(self):
        """A value for each column the import reads, from `example_row`. A cell naming an entry
        that this directory does not have is left empty: the template previews as it is."""
        fields = self.get_import_fields()
        row = {field.column_name: self.example_row.get(field.column_name, "") for field in fields}
        for field in fields:
            if isinstance(field.widget, widgets.ForeignKeyWidget | widgets.ManyToManyWidget):
                try:
                    field.clean(row)
                except ValueError:
                    row[field.column_name] = ""
        return row

    def import_data(self, *args, **kwargs):
        # The admin's confirm step does not ask for this; a row that has become invalid since the
        # preview must not let the others be saved.
        kwargs.setdefault("rollback_on_validation_errors", True)
        started = time.perf_counter()
        result = super().import_data(*args, **kwargs)
        result.seconds = time.perf_counter() - started
        return result

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.number = kwargs["row_number"]
        row_result.slug = str(row.get("slug") or "")
        return row_result

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return escape_formula(value) if isinstance(value, str) else value

    def after_init_instance(self, instance, new, row, **kwargs):
        # The entry's cells as stored, read now: import-export then copies the instance, and a
        # copy forgets what was prefetched (five queries a row, to compare it with the row).
        instance.stored_cells = cell_values(self, instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row changes nothing when each of its entry's cells reads as it did."""
        if import_validation_errors:
            return False
        now = cell_values(self, instance)
        for column, before, after in zip(
            self.get_diff_headers(), instance.stored_cells, now, strict=True
        ):
            if column in self.case_insensitive_columns:
                before, after = before.casefold(), after.casefold()
            if before != after:
                return False
        return True

    def before_import_row(self, row, **kwargs):
        import_checks.refuse_unstorable(row)
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
        # The base class reads many-to-many cells only once the row is saved: check them now,
        # and keep them for the preview, which saves nothing.
        instance.imported_relations = {}
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    instance.imported_relations[field.attribute] = field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error))]
        if repeated := self.repeated_slug(instance, kwargs.get("row_number")):
            errors.setdefault("slug", []).append(ValidationError(repeated))
        if conflict := self.changed_since_preview(instance, kwargs.get("dry_run")):
            errors.setdefault("slug", []).append(ValidationError(conflict))
        if errors:
            raise ValidationError(errors)

    def repeated_slug(self, instance, number):
        """Two rows for one entry: the second would silently undo the first."""
        if not instance.slug:
            return None
        first = self.rows_by_slug.setdefault(instance.slug, number)
        if first == number:
            return None
        return _("Row %(number)s has this slug too: give each entry one row.") % {"number": first}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """import-export's, with fewer queries (networks.import_checks)."""
        errors = dict(import_validation_errors or {})
        found = {
            field.attribute
            for field in self.get_import_fields()
            if isinstance(field.widget, widgets.ForeignKeyWidget)
        }
        try:
            import_checks.full_clean(instance, set(errors), found, set(self.get_import_id_fields()))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, *args, **kw):
        # A preview writes nothing (import-export's dry run without transactions, and
        # save_instance), inside import_data()'s transaction, rolled back: a savepoint around
        # each row cost two queries for nothing, most of a preview's time on PostgreSQL.
        each_row_in_a_savepoint = using_transactions and not dry_run
        return super().import_data_inner(
            dataset, dry_run, raise_errors, each_row_in_a_savepoint, *args, **kw
        )

    def save_instance(self, instance, is_create, row, **kwargs):
        # Nor after_save_instance(): writing each row of a preview (with its history and search
        # document) to roll it back took four fifths of the preview's time.
        if not kwargs.get("dry_run"):
            # A row, with its many-to-many cells, is one version in the history (save_m2m).
            start_entry(instance, str(_("Imported from a file")))
            super().save_instance(instance, is_create, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        finish_entry(instance)

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

    example_row = {
        "slug": "example-volunteer-lawyers",
        "name": "Volunteer Lawyers Network",
        "acronym": "VLN",
        "description_en": "An association that matches lawyers who give their time with "
        "associations and people who cannot pay for legal advice.",
        "description_fr": "Une association qui met en relation des avocats bénévoles avec des "
        "associations et des personnes qui n'ont pas les moyens de payer un conseil juridique.",
        "website": "https://example.org/volunteer-lawyers",
        "founded_year": "2012",
        "headquarters_country": "BE",
        "city": "Brussels",
        "countries": "BE|LU",
        "is_active": "1",
    }

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

    def get_queryset(self):
        return self.filter_export(super().get_queryset())

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("countries")

"""What the admin's import preview shows: each row with its number, the entry it names and what
it changes (only the columns it changes, before and after) or what is wrong with it, in full;
and how long the dry run took. The page is templates/admin/import_export/directory_import.html.
"""

from typing import NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS
from import_export import widgets
from import_export.resources import Diff
from import_export.results import Result, RowResult

SHORT = 120


class Change(NamedTuple):
    column: str
    before: str
    after: str

    @property
    def short_after(self):
        """A new row's value, shortened: a preview of 5 000 new rows is long enough."""
        return self.after if len(self.after) <= SHORT else self.after[: SHORT - 1] + "…"


class Problem(NamedTuple):
    column: str  # "" when the problem is the row's as a whole
    message: str


class ChangedColumns(Diff):
    """The columns whose value a row changes. A preview saves nothing, so many-to-many cells
    are compared as the row gives them (kept on the instance as `imported_relations` by the
    resource), not as the database holds them."""

    def __init__(self, resource, instance, new):
        self.columns = resource.get_diff_headers()
        self.left = instance.stored_cells  # read by the resource before it copied the instance
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        self.right = cell_values(resource, instance)

    def as_html(self):
        # import-export keeps what this returns as the row's `diff`; the template renders it.
        return [
            Change(column, before, after)
            for column, before, after in zip(self.columns, self.left, self.right, strict=True)
            if before != after
        ]


def cell_values(resource, instance):
    """The instance as the import's cells, related entries in a stable order."""
    imported = getattr(instance, "imported_relations", {})
    values = []
    for field in resource.get_import_fields():
        if not isinstance(field.widget, widgets.ManyToManyWidget):
            # A column the resource writes itself (source_url), else the field's value.
            dehydrate = field.get_dehydrate_method(resource.get_field_name(field))
            method = getattr(resource, dehydrate, None)
            values.append(method(instance) if method else field.export(instance))
            continue
        if field.attribute in imported:
            related = imported[field.attribute]
        else:
            related = field.get_value(instance).all() if instance.pk else []
        names = [getattr(item, field.widget.field, item) for item in related]  # tags: names
        values.append(field.widget.separator.join(sorted(names, key=str.casefold)))
    return values


class PreviewRow(RowResult):
    """A row's result; the resource numbers it and names its entry by slug."""

    number = None
    slug = ""

    @property
    def changes(self):
        return self.diff or []

    @property
    def problems(self):
        if self.validation_error is None:
            return [Problem("", str(error.error)) for error in self.errors]
        error = self.validation_error
        by_column = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        return [
            Problem("" if column == NON_FIELD_ERRORS else column, message)
            for column, messages in by_column.items()
            for message in messages
        ]


class PreviewResult(Result):
    """The dry run's rows, and the seconds it took (the resource times it)."""

    seconds = None

    def refused_rows(self):
        return [row for row in self.rows if not row.is_valid()]

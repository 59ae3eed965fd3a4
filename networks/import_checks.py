"""What the import checks of each row, sparing the database. Before any query, a cell that no
database column can hold (a null character: PostgreSQL refuses them) is refused, and the
file's entries are read in one query. Then full_clean()'s checks, in fewer queries: a preview
of 5 000 rows spent most of its time asking the database what the import already knew:

- the related entries the import's widgets have just found exist: not looked up again;
- the entry's slug: the instance loader has read every slug of the file, and the resource
  refuses a second row for one, so it is not checked for uniqueness again;
- the model's check constraints: Django checks each in a query of every field of the model,
  in a savepoint; they are evaluated in Python (probono/check_constraints.py).

The database keeps its own constraints: a confirmed import that broke one is rolled back whole.
"""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from import_export.instance_loaders import CachedInstanceLoader

from probono import check_constraints

NO_NULL_CHARACTERS = ProhibitNullCharactersValidator()


def storable(value):
    return "\x00" not in str(value)


def refuse_unstorable(row):
    errors = {}
    for column, value in row.items():
        try:
            NO_NULL_CHARACTERS(value)
        except ValidationError as error:
            errors[column] = error.error_list
    if errors:
        raise ValidationError(errors)


class FileEntries(CachedInstanceLoader):
    """The entries a file names, in one query that leaves out the rows refuse_unstorable()
    refuses: with them it would fail, and the whole import with it."""

    def __init__(self, resource, dataset=None):
        rows = tablib.Dataset(headers=dataset.headers)
        for values in dataset:
            if all(storable(value) for value in values):
                rows.append(values)
        super().__init__(resource, rows)


def full_clean(instance, exclude, found, unique):
    """`found`: foreign keys to entries just read from the database; `unique`: fields whose
    uniqueness the import has checked itself."""
    errors = {}
    try:
        instance.full_clean(exclude | found, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    failed = exclude | {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        instance.validate_unique(exclude=failed | unique)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        validate_constraints(instance, failed)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def validate_constraints(instance, failed):
    try:
        check_constraints.validate(instance, exclude=failed)
    except check_constraints.Unsure:
        instance.validate_constraints(exclude=failed)

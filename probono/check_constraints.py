"""A model's check constraints, evaluated in Python as the database evaluates them.

Django's `CheckConstraint.validate()` asks the database, in a query of its own inside a
savepoint: half of an import preview's time, for a few comparisons of the instance's own
values. The conditions the directory's constraints use (isnull, exact, in, and comparisons of
numbers and dates, with F() and & | ~) are evaluated here, with SQL's three values: a
comparison with NULL is unknown, and a check constraint lets unknown pass. Anything else
(another lookup, a function, text compared by collation, a unique constraint) raises `Unsure`,
and the caller asks Django. The database keeps its constraints either way.
"""

import operator

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Q

COMPARISONS = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


class Unsure(Exception):
    """A condition this module does not evaluate."""


def validate(instance, exclude):
    """As `Model.validate_constraints(exclude)`, for models with check constraints only; raises
    `Unsure` for a constraint it does not evaluate."""
    values = {}
    for field in instance._meta.concrete_fields:
        values[field.name] = values[field.attname] = getattr(instance, field.attname)
    violated = []
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            raise Unsure(constraint.name)
        # As Django: a constraint on a field left out, or already found wrong, is not checked.
        if constraint.condition.referenced_base_fields & set(exclude):
            continue
        if holds(constraint.condition, values) is False:
            violated.append(
                ValidationError(
                    constraint.get_violation_error_message(), code=constraint.violation_error_code
                )
            )
    if violated:
        raise ValidationError(violated)


def holds(condition, values):
    """True, False or None (unknown) for a Q object and the instance's values by field name."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(holds(child, values))
        elif isinstance(child, tuple):
            results.append(compare(*child, values))
        else:
            raise Unsure(child)  # an expression, such as Lower("title")
    if condition.connector == Q.AND:
        result = False if False in results else None if None in results else True
    elif condition.connector == Q.OR:
        result = True if True in results else None if None in results else False
    else:
        raise Unsure(condition)
    return result if result is None or not condition.negated else not result


def compare(lookup, wanted, values):
    name, _, kind = lookup.partition("__")
    kind = kind or "exact"
    if name not in values:
        raise Unsure(lookup)
    value = values[name]
    if kind == "isnull":
        return (value is None) == bool(wanted)
    if kind == "exact" and wanted is None:  # Django reads field=None as field__isnull=True
        return value is None
    if isinstance(wanted, F):
        if wanted.name not in values:
            raise Unsure(lookup)
        wanted = values[wanted.name]
    elif hasattr(wanted, "resolve_expression"):
        raise Unsure(lookup)
    if kind == "in":
        if value is None:
            return None
        known = [each for each in wanted if each is not None]
        return True if value in known else None if len(known) < len(wanted) else False
    if value is None or wanted is None:
        return None
    if kind == "exact":
        return value == wanted
    if kind in COMPARISONS and not isinstance(value, str):
        return COMPARISONS[kind](value, wanted)
    raise Unsure(lookup)

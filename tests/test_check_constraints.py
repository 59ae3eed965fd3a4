"""probono/check_constraints.py answers as the database does, for every check constraint of the
models the admin imports, and leaves to Django what it does not evaluate."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower

from initiatives.models import Initiative
from networks.models import Facilitator, Membership, Network
from probono import check_constraints

pytestmark = pytest.mark.django_db

SPRING, SUMMER = datetime.date(2020, 3, 1), datetime.date(2020, 6, 1)


def initiatives(network, facilitator):
    for started, ended, status, runner in itertools.product(
        [None, SPRING, SUMMER],
        [None, SPRING, SUMMER],
        ["draft", "published", "archived"],
        [
            {},
            {"facilitator": facilitator},
            {"network": network},
            {"facilitator": facilitator, "network": network},
        ],
    ):
        yield Initiative(started_on=started, ended_on=ended, status=status, **runner)


def facilitators():
    for founded, closed, active in itertools.product(
        [None, 2000, 2010], [None, 2005], [True, False]
    ):
        yield Facilitator(founded_year=founded, closed_year=closed, is_active=active)


def database_answer(instance):
    """Django's own check: one query per constraint."""
    try:
        instance.validate_constraints()
    except ValidationError as error:
        return sorted(error.messages)
    return []


def python_answer(instance, exclude=()):
    try:
        check_constraints.validate(instance, exclude)
    except ValidationError as error:
        return sorted(error.messages)
    return []


def test_it_answers_as_the_database_for_every_combination_of_values():
    network = Network.objects.create(name="Network", slug="network")
    facilitator = Facilitator.objects.create(name="Facilitator", slug="facilitator")
    cases = [*initiatives(network, facilitator), *facilitators()]
    assert len(cases) == 108 + 12
    refused = 0
    for instance in cases:
        answer = database_answer(instance)
        assert python_answer(instance) == answer, vars(instance)
        refused += bool(answer)
    assert refused > len(cases) / 2  # the grid crosses each constraint's limit


def test_a_field_left_out_leaves_its_constraints_unchecked_as_in_django():
    late = Facilitator(founded_year=2010, closed_year=2005, is_active=True)
    assert python_answer(late) == [
        "An organisation with a closing year cannot be active.",
        "The closing year cannot be before the founding year.",
    ]
    assert python_answer(late, exclude={"founded_year"}) == [
        "An organisation with a closing year cannot be active."
    ]


@pytest.mark.parametrize(
    "condition",
    [
        Q(title__startswith="A"),  # a lookup it does not know
        Q(title__gte="A"),  # text, which the database compares by its collation
        Q(Lower("title")),  # an expression
        Q(title="A") ^ Q(slug="a"),  # XOR
    ],
)
def test_it_leaves_to_django_what_it_does_not_evaluate(condition):
    with pytest.raises(check_constraints.Unsure):
        check_constraints.holds(condition, {"title": "B", "slug": "b"})


def test_a_model_with_another_kind_of_constraint_is_left_to_django():
    with pytest.raises(check_constraints.Unsure):
        check_constraints.validate(Membership(), exclude=set())  # unique per network

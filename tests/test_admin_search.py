"""The admin's autocompletes and list searches find what was typed: names first (the name starts
with it, then a word of it does, then it holds it), other fields after, accents and case ignored."""

import pytest
from django.conf import settings
from taggit.models import Tag

from initiatives.models import Crisis, Sector
from networks.models import Facilitator, Network

pytestmark = pytest.mark.django_db

ADMIN = "/" + settings.ADMIN_PATH


def suggestions(client, field, term, page=1, **headers):
    """The names the initiative form's autocomplete for `field` offers for `term`, in order."""
    response = client.get(
        ADMIN + "autocomplete/",
        {
            "app_label": "initiatives",
            "model_name": "initiative",
            "field_name": field,
            "term": term,
            "page": page,
        },
        headers=headers,
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def french(client, field, term):
    return suggestions(client, field, term, accept_language="fr")


@pytest.fixture
def organisations(db):
    for name, description in [
        ("Empact", "Good people lending their skills to social enterprises."),
        ("The Good Lobby", "Citizens lobbying for the public interest."),
        ("Feelgood Collective", "Designers for charities."),
        ("Goodwill Clinic", "Lawyers for tenants."),
        ("Önkéntes Központ Alapítvány", "Volunteering centre in Budapest."),
        ("Pro Bono Lab", "Pro bono in France."),
    ]:
        Facilitator.objects.create(
            name=name, slug=name.lower().replace(" ", "-")[:50], description=description
        )


def test_good_finds_names_starting_with_it_then_words_then_inside_then_descriptions(
    editor_client, organisations
):
    assert suggestions(editor_client, "facilitator", "Good") == [
        "Goodwill Clinic",
        "The Good Lobby",
        "Feelgood Collective",
        "Empact",
    ]


def test_the_good_lobby_comes_first_when_no_name_starts_with_good(editor_client, organisations):
    Facilitator.objects.filter(name="Goodwill Clinic").delete()
    assert suggestions(editor_client, "facilitator", "good")[0] == "The Good Lobby"


@pytest.mark.parametrize("term", ["onkentes", "ÖNKÉNTES", "kozpont", "  Önkéntes   Központ "])
def test_accents_case_and_spaces_do_not_matter(editor_client, organisations, term):
    assert suggestions(editor_client, "facilitator", term) == ["Önkéntes Központ Alapítvány"]


def test_partners_and_the_facilitator_list_search_rank_the_same_way(editor_client, organisations):
    assert suggestions(editor_client, "partners", "good")[:2] == [
        "Goodwill Clinic",
        "The Good Lobby",
    ]
    found = editor_client.get(ADMIN + "networks/facilitator/?q=good")
    assert [str(entry) for entry in found.context["cl"].result_list] == [
        "Goodwill Clinic",
        "The Good Lobby",
        "Feelgood Collective",
        "Empact",
    ]


def test_sorting_the_list_by_a_column_keeps_what_was_found_in_that_order(
    editor_client, organisations
):
    found = editor_client.get(ADMIN + "networks/facilitator/?q=good&o=1")
    assert [str(entry) for entry in found.context["cl"].result_list] == [
        "Empact",
        "Feelgood Collective",
        "Goodwill Clinic",
        "The Good Lobby",
    ]


def test_words_typed_may_match_in_different_fields(editor_client, organisations):
    assert suggestions(editor_client, "facilitator", "lawyers goodwill") == ["Goodwill Clinic"]
    assert suggestions(editor_client, "facilitator", "lawyers nowhere") == []


def test_the_next_page_of_suggestions_goes_on_in_the_same_order(editor_client):
    names = [f"Good Neighbours {number:02}" for number in range(25)]
    for name in reversed(names):
        Facilitator.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    Facilitator.objects.create(name="A Good Start", slug="a-good-start")
    first, second = (suggestions(editor_client, "facilitator", "good", page) for page in (1, 2))
    assert first + second == [*names, "A Good Start"]


@pytest.mark.parametrize(
    "term", ["%", "_", "(", "\\", "'; drop table", "good" * 500, "\u0301", "\x00", "   "]
)
def test_odd_terms_get_an_answer_not_an_error(editor_client, organisations, term):
    assert isinstance(suggestions(editor_client, "facilitator", term), list)
    assert editor_client.get(ADMIN + "networks/facilitator/", {"q": term}).status_code == 200


def test_countries_by_name_in_the_editors_language_names_starting_with_it_first(
    editor_client,
):
    assert suggestions(editor_client, "countries", "fra") == ["France"]
    assert suggestions(editor_client, "countries", "guinea") == [
        "Guinea",
        "Guinea-Bissau",
        "Equatorial Guinea",
        "Papua New Guinea",
    ]
    # A code typed in full finds its country among the names that start with it.
    assert suggestions(editor_client, "countries", "de")[:3] == [
        "Democratic Republic of the Congo",
        "Denmark",
        "Germany",
    ]
    assert french(editor_client, "countries", "allem") == ["Allemagne"]
    assert french(editor_client, "countries", "etats")[0] == "États-Unis d'Amérique"


def test_the_countries_offered_before_typing_come_by_name(editor_client):
    assert suggestions(editor_client, "countries", "")[:3] == [
        "Afghanistan",
        "Åland Islands",
        "Albania",
    ]
    # É sorts with E, not after Z.
    offered = [
        name
        for page in range(1, 14)
        for name in suggestions(editor_client, "countries", "", page, accept_language="fr")
    ]
    assert offered.index("Égypte") < offered.index("Fidji") < offered.index("Zimbabwe")


def test_sectors_crises_networks_and_tags_rank_names_first(editor_client):
    for model in (Sector, Crisis, Network):
        for name, description in [
            ("Health and legal aid", ""),
            ("Paralegal work", ""),
            ("Legal", ""),
            ("Civic tech", "Legal tech among others."),
        ]:
            model.objects.create(
                name=name, slug=f"{name.lower().replace(' ', '-')}", description=description
            )
    for field in ("sectors", "crisis", "network"):
        assert suggestions(editor_client, field, "legal") == [
            "Legal",
            "Health and legal aid",
            "Paralegal work",
            "Civic tech",
        ], field
    for name in ("feelgood", "the good life", "goodness"):
        Tag.objects.create(name=name)
    assert suggestions(editor_client, "tags", "good") == ["goodness", "the good life", "feelgood"]


def test_a_sector_is_found_by_its_name_in_either_language(editor_client):
    Sector.objects.create(name_en="Mental health", name_fr="Santé mentale", slug="mental-health")
    Sector.objects.create(name_en="Sanitation", slug="sanitation", description="Not health.")
    assert suggestions(editor_client, "sectors", "sante") == ["Mental health"]
    assert suggestions(editor_client, "sectors", "health") == ["Mental health", "Sanitation"]
    assert french(editor_client, "sectors", "ment") == ["Santé mentale"]

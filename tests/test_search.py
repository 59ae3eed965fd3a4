"""Free-text search, the same on SQLite (FTS5) as on PostgreSQL: the suite runs on both.

The `directory` fixture (tests/conftest.py) describes the five published initiatives.
"""

import datetime
import importlib

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from initiatives import search
from initiatives.models import Initiative
from tests.conftest import notices, shown_slugs
from tests.directory import make_initiative

pytestmark = pytest.mark.django_db

RESERVE = "reserve-civique"
HELP_DESK = "refugee-help-desk"
HELPLINE = "nurses-helpline"
HACKATHON = "ukraine-hackathon"
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own index")
index_migration = importlib.import_module("initiatives.migrations.0017_sqlite_full_text_index")


def found(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.get("Location")
    return shown_slugs(response)


def found_in_french(client, text):
    with translation.override("fr"):
        url = reverse("initiative_list")
    response = client.get(url, {"q": text}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    return response


@pytest.mark.usefixtures("directory_built_once_per_class")
class TestInTheDirectory:
    def test_it_finds_a_singular_by_its_plural(self, client, directory):
        # The help desk's summary says "A volunteer lawyer"; the Réserve's "Volunteers".
        assert set(found(client, "/initiatives/", q="volunteers")) == {RESERVE, HELP_DESK}
        assert found(client, "/initiatives/", q="lawyers") == [HELP_DESK]

    def test_it_finds_accented_text_typed_without_accents(self, client, directory):
        assert found(client, "/initiatives/", q="reserve civique") == [RESERVE]

    def test_it_ranks_a_title_above_a_summary(self, client, directory):
        # "hackathon" is the hackathon's title; a newer entry only mentions it in its summary.
        make_initiative(
            "Open data for Ukraine",
            "open-data",
            summary="Born at a hackathon, it went on for a year.",
            started_on=datetime.date(2023, 1, 1),
        )
        assert found(client, "/initiatives/", q="hackathon") == [HACKATHON, "open-data"]
        # Newest first when asked, as for any list.
        assert found(client, "/initiatives/", q="hackathon", sort="newest") == [
            "open-data",
            HACKATHON,
        ]

    def test_its_counts_are_those_of_the_matches(self, client, directory):
        response = client.get("/initiatives/", {"q": "nurses"})
        assert response.context["finder"].count == 2
        facets = {facet.name: facet for facet in response.context["finder"].facets}
        countries = {option.value: option.count for option in facets["country"].options}
        # The helpline is in the US, the hackathon in France and Poland.
        assert {code: count for code, count in countries.items() if count} == {
            "us": 1,
            "fr": 1,
            "pl": 1,
        }

    @pytest.mark.parametrize(
        "text",
        [
            '"',
            '"nurses',
            "nurses*",
            "*",
            "nurses AND",
            "AND",
            "OR nurses",
            "NOT",
            "NEAR(nurses helpline)",
            "(",
            "nurses)",
            "-nurses",
            "nurses -helpline",
            ":",
            "title_en:nurses",
            "^nurses",
            "nurses + helpline",
            "'",
            "{title_en}: nurses",
            "_",
            "nurses\\",
        ],
    )
    def test_it_reads_no_query_syntax_in_what_is_typed(self, client, directory, text):
        response = client.get("/initiatives/", {"q": text}, follow=True)
        assert response.status_code == 200
        # No operator widens the search: what is found mentions every word typed.
        if "nurses" in text:
            assert set(shown_slugs(response)) <= {HELPLINE, HACKATHON}

    @pytest.mark.parametrize("text", ['"nurses', "nurses*", "-nurses", "(nurses)", "nurses:"])
    def test_it_finds_the_words_among_query_syntax(self, client, directory, text):
        assert set(found(client, "/initiatives/", q=text)) == {HELPLINE, HACKATHON}


@pytest.mark.usefixtures("seed_loaded_once_per_class")
class TestInTheSeed:
    def test_it_finds_sante_mentale_on_the_french_list(self, client):
        response = found_in_french(client, "santé mentale")
        assert "health-pro-bono-platforms-2020" in response.content.decode()

    def test_it_finds_sante_typed_without_its_accent(self, client):
        with_accent = found_in_french(client, "santé").context["finder"].count
        assert with_accent > 0
        assert found_in_french(client, "sante").context["finder"].count == with_accent


def test_an_edit_is_found_by_its_new_words_and_no_longer_by_its_old_ones(
    client, db, django_capture_on_commit_callbacks
):
    initiative = make_initiative(
        "Helpline for nurses", "nurses-helpline", summary="Calls at night.", tags=["remote"]
    )
    assert found(client, "/initiatives/", q="helpline") == [HELPLINE]
    # Saved as the admin saves: the row, then its tags, then what runs once committed.
    with django_capture_on_commit_callbacks(execute=True):
        initiative = Initiative.objects.get(pk=initiative.pk)
        initiative.title = "Counselling for midwives"
        initiative.save()
        initiative.tags.set(["evenings"])
    assert found(client, "/initiatives/", q="midwives") == [HELPLINE]
    assert found(client, "/initiatives/", q="evenings") == [HELPLINE]
    assert found(client, "/initiatives/", q="helpline") == []
    assert found(client, "/initiatives/", q="remote") == []
    with django_capture_on_commit_callbacks(execute=True):
        Initiative.objects.filter(pk=initiative.pk).delete()
    assert search.published_matches("midwives") == []


@on_sqlite
def test_the_index_agrees_with_the_documents_after_edits(directory):
    directory.petition.summary = "Rewritten."
    directory.petition.save()
    directory.draft.delete()
    with connection.cursor() as cursor:
        # FTS5 raises an error when its index and the documents differ.
        cursor.execute(
            "INSERT INTO initiatives_searchindex (initiatives_searchindex, rank)"
            " VALUES ('integrity-check', 1)"
        )


class Editor:
    """What the migration asks of a schema editor, inside the test's transaction: SQLite's
    own refuses to work in one."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.fixture
def sqlite_without_fts5(monkeypatch):
    """The migration as it runs on an SQLite built without FTS5; the index again after."""
    monkeypatch.setattr(index_migration, "has_fts5", lambda connection: False)
    index_migration.drop(None, Editor())
    index_migration.create(None, Editor())
    search.forget_index()
    yield
    monkeypatch.undo()
    index_migration.create(None, Editor())
    search.forget_index()


@on_sqlite
def test_without_fts5_it_finds_every_word_as_typed_and_says_so(
    client, directory, sqlite_without_fts5
):
    assert "initiatives_searchindex" not in connection.introspection.table_names()
    response = client.get("/initiatives/", {"q": "nurses"})
    assert set(shown_slugs(response)) == {HELPLINE, HACKATHON}
    assert any("without full-text search (FTS5)" in line for line in notices(response))
    assert shown_slugs(client.get("/initiatives/", {"q": "lawyers"})) == []


def test_a_search_says_nothing_of_the_database_where_it_ranks(client, directory):
    response = client.get("/initiatives/", {"q": "nurses"})
    assert notices(response) == []

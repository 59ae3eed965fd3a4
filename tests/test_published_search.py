"""On PostgreSQL, a search's matches come from a narrow table of the published initiatives'
vectors, which a trigger keeps in step with every write, in the writer's transaction."""

import pytest
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat

from initiatives import search
from initiatives.models import Initiative, PublishedSearch
from tests.directory import make_initiative

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite searches the documents themselves"
    ),
]


def narrow_table():
    return dict(PublishedSearch.objects.values_list("initiative_id", "search_vector"))


def published_vectors():
    return dict(Initiative.objects.published().values_list("pk", "search_vector"))


def test_it_holds_the_vector_of_every_published_initiative_and_no_other(directory):
    assert narrow_table() == published_vectors()
    assert directory.draft.pk not in narrow_table()


@pytest.mark.parametrize(
    "write",
    [
        lambda d: make_initiative("Brand new clinic", "brand-new-clinic"),
        lambda d: Initiative.objects.filter(pk=d.draft.pk).update(status="published"),
        lambda d: Initiative.objects.filter(pk=d.reserve.pk).update(status="draft"),
        lambda d: d.helpline.tags.add("hotline"),
        lambda d: Initiative.objects.filter(pk=d.petition.pk).update(language="fr"),
        lambda d: d.hackathon.delete(),
        lambda d: d.lab.save(),  # refreshes the documents of what it leads
    ],
    ids=["create", "publish", "unpublish", "tag", "language", "delete", "rename the lead"],
)
def test_every_write_keeps_it_in_step(directory, write):
    write(directory)
    assert narrow_table() == published_vectors()


def test_a_search_finds_the_same_initiatives_either_way(directory):
    for text in ["refugees", "nurses remote", "legal", "hackathon ukraine", "zzz"]:
        through_the_table = set(search.published_matches(text))
        directly = set(
            search.apply(Initiative.objects.published(), text).values_list("pk", flat=True)
        )
        assert through_the_table == directly, text


def test_it_reads_the_matches_from_the_index_not_every_vector(directory):
    """The planner would read every row's out-of-line vector past a few thousand matches."""
    query = search.search_query(["legal"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = PublishedSearch.objects.filter(search_vector=query).explain()
    assert "initiatives_publishedsearch_vector" in plan


def test_updating_the_document_alone_restems_and_copies_the_vector(petition):
    before = narrow_table()[petition.pk]
    Initiative.objects.filter(pk=petition.pk).update(
        search_document=Concat(F("search_document"), Value(" volcanologists"))
    )
    assert narrow_table()[petition.pk] != before
    assert set(search.published_matches("volcanologists")) == {petition.pk}

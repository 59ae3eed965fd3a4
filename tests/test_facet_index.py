"""The facet index gives the counts the database would give, follows every kind of write, and
outlives a flushed cache and a change whose refresh never ran."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.http import QueryDict
from django.test import RequestFactory

from initiatives import facet_index
from initiatives.filters import InitiativeFilter
from initiatives.finder import Finder
from initiatives.models import FacetIndexState, Initiative, Sector
from networks.models import Facilitator, Membership, Network
from tests.conftest import flush_caches
from tests.directory import make_initiative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory_built_once")]

VIEWS = [
    "",
    "country=be",
    "country=be&country=fr",
    "country=pl&sector=legal",
    "sector=legal&crisis=covid-19",
    "network=global-pro-bono-network",
    "network=european-pro-bono-alliance&status=completed",
    "facilitator=the-good-lobby",
    "facilitator=pro-bono-lab&year=2022",
    "status=ongoing",
    "year=2020&year=2023",
    "tag=remote&kind=psychological-support",
    "q=refugees",
    "q=nurses&country=us",
    "kind=hackathon&kind=legal-advice&status=completed",
]


# The scoped pages' own dimension, as stored.
SCOPES = [("country", "BE"), ("sector", "legal"), ("network", "global-pro-bono-network")]
SCOPES += [("facilitator", "pro-bono-lab")]


def finder(query, fixed=None):
    return Finder(RequestFactory().get("/initiatives/?" + query), fixed=fixed)


def database_count(finder, filters):
    """The count of the scoped view with these filters, as SQL gives it."""
    data = QueryDict(mutable=True)
    for name, values in filters.items():
        data.setlist(name, values)
    if finder.query.q:
        data["q"] = finder.query.q
    return InitiativeFilter(data, finder.base, finder.vocabulary).qs.count()


def assert_counts_match_the_database(finder):
    assert finder.count == finder.filterset.qs.count()
    for facet in finder.facets:
        definition = finder.query.definitions[facet.name]
        for option in facet.options:
            # An option's count ignores its own filter's selection; options are spelled as
            # links spell them.
            value = definition.parse(option.value)
            filters = {**finder.query.filters, facet.name: [value]}
            assert option.count == database_count(finder, filters), (facet.name, option.value)


@pytest.mark.parametrize("query", VIEWS)
def test_every_count_of_a_list_is_the_databases(directory, query):
    assert_counts_match_the_database(finder(query))


@pytest.mark.parametrize(("name", "value"), SCOPES)
@pytest.mark.parametrize("query", ["", "status=ongoing", "year=2022&kind=hackathon", "q=legal"])
def test_every_count_of_a_scoped_page_is_the_databases(directory, name, value, query):
    assert_counts_match_the_database(finder(query, {name: value}))


def index_now():
    """The sets as this process has them for the current data version, empty ones left out."""
    return {key: members for key, members in facet_index.current().sets.items() if members}


def rebuilt():
    """The sets worked out from scratch, as a full rebuild would."""
    return {key: members for key, members in facet_index.rebuilt_sets().items() if members}


def committed(capture, change):
    with capture(execute=True):
        change()


WRITES = {
    "publish a new initiative": lambda d: make_initiative("New", "new", countries=["DE"]),
    "change its kind, crisis and dates": lambda d: change(
        d.petition,
        kind="coalition",
        crisis=d.war,
        started_on=d.hackathon.started_on,
        ended_on=None,
    ),
    "add a country": lambda d: d.petition.countries.add("FR"),
    "remove a sector": lambda d: d.hackathon.sectors.remove(d.legal),
    "tag it": lambda d: d.helpline.tags.add("hotline"),
    "untag it": lambda d: d.helpline.tags.remove("remote"),
    "add a partner": lambda d: d.helpline.partners.add(d.lab),
    "partner from the other side": lambda d: d.taproot.partner_initiatives.add(d.hackathon),
    "unpublish": lambda d: unpublish(d.reserve),
    "delete": lambda d: d.help_desk.delete(),
    "join a network": lambda d: Membership.objects.create(
        facilitator=d.taproot, network=d.global_network
    ),
    "leave a network": lambda d: Membership.objects.filter(facilitator=d.lab).delete(),
    "delete a tag": lambda d: d.helpline.tags.get(name="nurses").delete(),
    "delete a sector": lambda d: d.health.delete(),
    "change the lead": lambda d: change(d.hackathon, facilitator=d.taproot),
    "end an initiative": lambda d: change(d.reserve, ended_on=d.help_desk.ended_on),
    "publish a draft": lambda d: change(d.draft, status="published"),
}


def unpublish(initiative):
    change(initiative, status="draft")


def change(initiative, **fields):
    initiative = Initiative.objects.get(pk=initiative.pk)
    for name, value in fields.items():
        setattr(initiative, name, value)
    initiative.save()


@pytest.mark.parametrize("write", list(WRITES))
def test_the_index_follows_every_kind_of_write(
    directory, django_capture_on_commit_callbacks, write
):
    facet_index.refresh()  # the directory's own writes
    assert index_now() == rebuilt()
    committed(django_capture_on_commit_callbacks, lambda: WRITES[write](directory))
    assert index_now() == rebuilt()
    assert_counts_match_the_database(finder(""))


def test_loading_a_dump_rebuilds_the_index(directory, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "dump.json"
    call_command("dumpdata", "initiatives.initiative", output=str(path), verbosity=0)
    committed(django_capture_on_commit_callbacks, lambda: Initiative.objects.all().delete())
    assert facet_index.current().count(facet_index.ALL) == 0
    committed(
        django_capture_on_commit_callbacks,
        lambda: call_command("loaddata", path, verbosity=0),
    )
    assert index_now() == rebuilt()
    assert facet_index.current().count(facet_index.ALL) == 5


def test_a_change_whose_refresh_never_ran_is_caught_up_by_the_next_reader(directory, client):
    """The transaction's own queue survives a process that died after its commit."""
    client.get("/initiatives/")
    unpublish(directory.petition)  # committed, as far as readers go; `publish` never ran
    flush_caches()  # any later write, or the next data version
    response = client.get("/initiatives/?country=be")
    assert "<h1>1 initiative in Belgium</h1>" in response.content.decode()
    assert index_now() == rebuilt()


def test_a_flushed_cache_keeps_the_index(directory, client, django_assert_max_num_queries):
    client.get("/initiatives/")
    state = FacetIndexState.objects.get()
    flush_caches()
    # The data version is new: this process checks the index's queue and revision again,
    # and reloads none of its sets.
    with django_assert_max_num_queries(2):
        index = facet_index.current()
    assert index.count(facet_index.ALL) == 5
    assert FacetIndexState.objects.get().revision == state.revision


def test_a_new_process_reads_the_sets_from_the_database(directory):
    before = index_now()
    facet_index.forget()
    assert index_now() == before


def test_renaming_changes_no_set(directory, django_capture_on_commit_callbacks):
    facet_index.refresh()  # the directory's own writes
    revision = FacetIndexState.objects.get().revision

    def rename():
        for model in (Sector, Network, Facilitator):
            obj = model.objects.first()
            obj.slug = obj.slug + "-renamed"
            obj.save()

    committed(django_capture_on_commit_callbacks, rename)
    assert FacetIndexState.objects.get().revision == revision
    assert index_now() == rebuilt()


def test_a_change_made_by_hand_shows_after_the_rebuild_command(
    directory, client, django_capture_on_commit_callbacks
):
    """SQL run by hand sends no signal: the command publishes it, as a removal."""
    facet_index.refresh()
    assert "<h1>5 initiatives</h1>" in client.get("/initiatives/").content.decode()
    Initiative.objects.filter(pk=directory.petition.pk).update(status="draft")
    assert "<h1>5 initiatives</h1>" in client.get("/initiatives/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # it runs outside a transaction
        call_command("rebuild_facet_index", stdout=io.StringIO())
    page = client.get("/initiatives/").content.decode()
    assert "<h1>4 initiatives</h1>" in page
    assert directory.petition.slug not in page
    assert index_now() == rebuilt()


def test_an_index_kept_past_midnight_counts_status_for_the_new_day(directory, monkeypatch):
    """The help desk ends on 30 June 2023: ongoing the day before, completed the day after."""
    index = facet_index.current()
    monkeypatch.setattr(facet_index.timezone, "localdate", lambda: datetime.date(2023, 6, 29))
    ongoing_before = index.ongoing
    monkeypatch.setattr(facet_index.timezone, "localdate", lambda: datetime.date(2023, 7, 1))
    ongoing_after = index.ongoing
    help_desk = 1 << directory.help_desk.pk
    assert ongoing_before & help_desk
    assert not ongoing_after & help_desk


def test_a_refresh_that_fails_after_the_commit_is_done_by_the_next_reader(
    directory, client, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """The editor's save stands, pages are invalidated all the same, and the queue waits."""
    facet_index.refresh()
    client.get("/initiatives/")
    refresh, failures = facet_index.refresh, []

    def fails_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise DatabaseError("the database went away")
        return refresh(*args, **kwargs)

    monkeypatch.setattr(facet_index, "refresh", fails_once)
    committed(django_capture_on_commit_callbacks, lambda: unpublish(directory.petition))
    assert "could not be refreshed" in caplog.text
    page = client.get("/initiatives/").content.decode()
    assert "<h1>4 initiatives</h1>" in page
    assert directory.petition.slug not in page

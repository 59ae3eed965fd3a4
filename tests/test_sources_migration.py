"""Migrations 0014 and 0015: each initiative's single source link becomes its primary source,
and back, on a copy of the seed content."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from initiatives.models import Initiative, Source

BEFORE_SOURCES = [("initiatives", "0013_add_sources_and_participants_unit")]
WITH_SOURCE_URL = [("initiatives", "0014_move_source_urls_to_sources")]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def executor():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    yield executor
    executor.loader.build_graph()
    executor.migrate(latest)


def migrate(executor, targets):
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_it_turns_each_source_link_into_a_primary_source_and_back(executor):
    call_command("load_seed", verbosity=0)
    links = dict(Source.objects.filter(is_primary=True).values_list("initiative__slug", "url"))
    Initiative.objects.filter(slug="taproot-plus").update(last_verified_on=None)

    old = migrate(executor, BEFORE_SOURCES)
    OldInitiative = old.get_model("initiatives", "Initiative")
    assert dict(OldInitiative.objects.values_list("slug", "source_url")) == links
    old.get_model("initiatives", "Source").objects.all().delete()
    OldInitiative.objects.filter(slug="benevolat-fr-portal").update(source_url="")

    migrate(executor, executor.loader.graph.leaf_nodes())
    assert not Source.objects.filter(initiative__slug="benevolat-fr-portal").exists()
    for slug, url in links.items():
        if slug == "benevolat-fr-portal":
            continue
        (source,) = Source.objects.filter(initiative__slug=slug)
        assert (source.url, source.is_primary, source.title) == (url, True, ""), slug
    petition = Source.objects.get(initiative__slug="tgl-eu-health-petition")
    assert petition.accessed_on == datetime.date(2026, 11, 26)  # when its facts were verified
    updated = Initiative.objects.get(slug="taproot-plus").updated_at
    assert Source.objects.get(initiative__slug="taproot-plus").accessed_on == updated.date()


def test_stepping_back_one_migration_keeps_the_links(executor):
    call_command("load_seed", verbosity=0)
    links = dict(Source.objects.filter(is_primary=True).values_list("initiative__slug", "url"))
    sources = Source.objects.count()

    old = migrate(executor, WITH_SOURCE_URL)
    OldInitiative = old.get_model("initiatives", "Initiative")
    assert dict(OldInitiative.objects.values_list("slug", "source_url")) == links

    migrate(executor, executor.loader.graph.leaf_nodes())
    assert Source.objects.count() == sources  # none doubled, none lost

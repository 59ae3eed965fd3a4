"""What a write makes stale is invalidated once its transaction has committed, once per
transaction, whichever path wrote it; a reader served while the transaction was still open
leaves nothing stale behind."""

import ast
import contextlib
import datetime
import io
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from initiatives.link_checks import check_sources
from initiatives.models import Initiative, Sector
from initiatives.sources import LinkStatus
from networks.models import EmbedPartner
from probono import caching
from tests import local_sites
from tests.conftest import admin_form_data
from tests.directory import make_initiative
from tests.test_admin_import_export import INITIATIVES, csv_text, import_file, initiative_row

# Each test's writes commit for real; the countries the migrations made are restored after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Petition to the EU health ministers"
# Where the petition shows while it is published: pages, fragments, feeds, exports, sitemap.
SHOWN_ON = [
    "/",
    "/initiatives/",
    "/initiatives/?country=be",
    "/initiatives/?sector=legal&q=petition",
    "/fr/initiatives/",
    "/countries/be/",
    "/sectors/legal/",
    "/facilitators/the-good-lobby/",
    "/networks/global-pro-bono-network/",
    "/initiatives/eu-health-petition/",
    "/initiatives/feed/",
    "/initiatives/export.csv",
    "/initiatives/export.json",
    "/sitemap-initiatives.xml",
]
FRAGMENT = {"X-Requested-With": "finder"}


def text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def shows_petition(response):
    return TITLE in text(response) or "eu-health-petition" in text(response)


@contextlib.contextmanager
def transaction_kept_open(change):
    """Run `change` in another thread's transaction, on a connection of its own, and keep that
    transaction open for the length of the block; it has committed when the block ends."""
    changed, finish = threading.Event(), threading.Event()
    errors = []

    def editor():
        try:
            with transaction.atomic():
                change()
                changed.set()
                finish.wait(30)
        except BaseException as error:
            errors.append(error)
            changed.set()
        finally:
            connection.close()

    thread = threading.Thread(target=editor)
    thread.start()
    try:
        assert changed.wait(30)
        assert not errors, errors
        yield
    finally:
        finish.set()
        thread.join(30)
    assert not errors, errors


def test_a_reader_served_during_an_unpublish_leaves_no_stale_page_behind(each_cache, petition):
    """Today's race: the version was bumped inside the editor's transaction, so a reader
    rendering the still-published row stored it under the new version, served after the
    commit until the next write."""
    petition.sectors.add(Sector.objects.get(slug="legal"))
    reader = Client()
    etags = {url: reader.get(url).get("ETag") for url in SHOWN_ON}

    def unpublish():
        initiative = Initiative.objects.get(pk=petition.pk)
        initiative.status = Initiative.Status.DRAFT
        initiative.save()

    with transaction_kept_open(unpublish):
        # Readers meanwhile still see the committed, published row: pages, fragments, counts.
        for url in SHOWN_ON:
            assert shows_petition(reader.get(url)), url
        assert shows_petition(reader.get("/initiatives/?country=be", headers=FRAGMENT))

    for url in SHOWN_ON:
        response = reader.get(url, headers={"If-None-Match": etags[url] or '"none"'})
        if url == petition.get_absolute_url():
            assert response.status_code == 404
            assert TITLE not in text(response)
        else:
            assert response.status_code == 200, url
            assert not shows_petition(response), url
    assert not shows_petition(reader.get("/initiatives/?country=be", headers=FRAGMENT))
    assert "0 initiatives" in text(reader.get("/initiatives/?country=be"))


def test_a_write_is_published_when_it_commits_and_not_before(each_cache, petition):
    before = caching.data_version()

    def rename():
        Initiative.objects.get(pk=petition.pk).save()

    with transaction_kept_open(rename):
        assert caching.data_version() == before
    assert caching.data_version() != before


def test_a_rolled_back_transaction_publishes_nothing(each_cache, petition):
    before = caching.data_version()

    def unpublish_then_fail():
        with transaction.atomic():
            petition.status = Initiative.Status.DRAFT
            petition.save()
            raise RuntimeError("the editor's request failed")

    with pytest.raises(RuntimeError):
        unpublish_then_fail()
    assert caching.data_version() == before
    assert shows_petition(Client().get("/initiatives/"))


class Publications:
    """How many times the data version moves while the block's writes commit: the tests below
    run outside any test transaction, so that each write's own transactions are the real ones."""

    def __enter__(self):
        self.before = caching.data_version()
        return self

    def __exit__(self, *exception):
        self.count = caching.data_version() - self.before


@pytest.fixture
def publications():
    return Publications


def test_an_admin_save_publishes_once(admin_client, petition, publications):
    url = reverse("admin:initiatives_initiative_change", args=[petition.pk])
    data = admin_form_data(
        admin_client.get(url),
        title_en="A renamed petition",
        countries=["BE", "FR", "DE"],
        tags=["petition", "health"],
    )
    with publications() as writes:
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert writes.count == 1
    assert "A renamed petition" in text(Client().get("/initiatives/?country=fr"))


def test_a_bulk_action_publishes_once(admin_client, directory, publications):
    ids = Initiative.objects.published().values_list("pk", flat=True)
    with publications() as writes:
        response = admin_client.post(
            reverse("admin:initiatives_initiative_changelist"),
            {"action": "unpublish", "_selected_action": list(ids)},
        )
    assert response.status_code == 302
    assert writes.count == 1
    assert "0 initiatives" in text(Client().get("/initiatives/"))


def test_an_import_publishes_once(admin_client, legal, publications):
    rows = [
        initiative_row(
            slug=f"clinic-{number}",
            sectors="legal",
            status="published",
            source_url="https://example.org/clinics",
            last_verified_on="2026-11-26",
        )
        for number in range(5)
    ]
    with publications() as writes:
        import_file(admin_client, INITIATIVES, csv_text(*rows))
    assert Initiative.objects.filter(slug__startswith="clinic-").count() == 5
    assert writes.count == 1


def test_a_history_revert_publishes_once(admin_client, petition, publications):
    first = petition.history.latest()
    with publications():
        petition.title = "A renamed petition"
        petition.save()
    url = reverse("admin:initiatives_initiative_simple_history", args=[petition.pk, first.pk])
    data = admin_form_data(admin_client.get(url))
    with publications() as writes:
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert writes.count == 1
    assert TITLE in text(Client().get("/initiatives/"))


def test_loading_the_seed_publishes_once(publications):
    with publications() as writes:
        call_command("load_seed", stdout=io.StringIO())
    assert writes.count == 1


def test_a_bulk_load_without_signals_still_publishes(publications):
    """seed_demo loads rows with COPY or executemany, which send no signals."""
    client = Client()
    assert "<h1>0 initiatives</h1>" in text(client.get("/initiatives/"))
    with publications() as writes:
        call_command("seed_demo", "--initiatives", "30", stdout=io.StringIO())
    assert writes.count == 1
    published = Initiative.objects.published().count()
    assert f"<h1>{published} initiatives</h1>" in text(client.get("/initiatives/"))


def test_a_migration_publishes(publications):
    """Data migrations write through the historical models, which send no signals of ours."""
    with publications() as writes:
        call_command("migrate", "initiatives", verbosity=0)
    assert writes.count == 1


def test_editing_a_draft_publishes_nothing(draft, publications):
    Tag.objects.create(name="still-secret", slug="still-secret")
    with publications() as writes:
        draft.title = "Still a draft"
        draft.save()
        draft.countries.add("FR")
        draft.tags.add("still-secret")
    assert writes.count == 0


def test_creating_a_published_initiative_publishes(publications):
    with publications() as writes, transaction.atomic():
        make_initiative("Brand new", "brand-new")
    assert writes.count == 1


def test_a_link_check_publishes_what_readers_see_and_nothing_else(petition, publications, settings):
    """Checks write with QuerySet.update(): a link found dead, and its archived copy, still
    leave the cached page behind; a link found live again as before publishes nothing."""
    sites, stop = local_sites.start(host_count=1)
    settings.LINK_CHECK_CANARY_URL = sites.canary
    settings.WAYBACK_AVAILABILITY_URL = f"{sites.wayback}/wayback/available"
    settings.LINK_CHECK_HOST_INTERVAL = 0
    url = sites.url(0, "/gone")
    sites.snapshots[url] = (f"https://web.archive.org/web/20250102030405/{url}", "20250102030405")
    now = timezone.now()
    petition.sources.update(
        url=url,
        link_status=LinkStatus.FAILING,
        failure_count=2,
        first_failure_at=now - datetime.timedelta(days=6),
        last_failure_at=now - datetime.timedelta(days=3),
    )
    page, reader = petition.get_absolute_url(), Client()
    try:
        assert "no longer available" not in text(reader.get(page))
        with publications() as writes:
            check_sources(now=now)
        # The dead link, then its copy: each stored, and published, as soon as known.
        assert writes.count == 2
        assert "archived copy of 2 January 2025" in text(reader.get(page))
        with publications() as writes:
            check_sources(now=now + datetime.timedelta(days=30))
        assert writes.count == 0
    finally:
        stop()


# Every call named like a write that sends no signals, each reviewed: what it writes, and what
# publishes it. A new one fails the test until it is reviewed and listed here.
REVIEWED = {
    # seed_demo: COPY or executemany, then changes.everything_changed() in the same transaction.
    ("initiatives/management/commands/seed_demo.py", "Sector.objects.bulk_create"),
    ("initiatives/management/commands/seed_demo.py", "Network.objects.bulk_create"),
    ("initiatives/management/commands/seed_demo.py", "Facilitator.objects.bulk_create"),
    ("initiatives/management/commands/seed_demo.py", "Membership.objects.bulk_create"),
    ("initiatives/management/commands/seed_demo.py", "Operation.objects.bulk_create"),
    ("initiatives/management/commands/seed_demo.py", "Crisis.objects.bulk_create"),
    ("initiatives/management/commands/seed_demo.py", "Tag.objects.bulk_create"),
    ("initiatives/management/commands/seed_demo.py", "cursor.copy"),
    ("initiatives/management/commands/seed_demo.py", "cursor.execute"),
    ("initiatives/management/commands/seed_demo.py", "cursor.executemany"),
    # The facet index's queue, written by the signals in the writer's transaction, and its
    # sets, rewritten by `refresh` before `publish` moves the data version.
    ("initiatives/facet_index.py", "FacetIndexQueue.objects.bulk_create"),
    ("initiatives/facet_index.py", "FacetSet.objects.bulk_create"),
    # The search document, refreshed by the signals of the save or link change it follows.
    ("initiatives/search.py", "queryset.model.objects.bulk_update"),
    # The revision a save claims, just before that save (and its signals).
    ("probono/safe_edits.py", "claimed.update"),
    # The primary mark leaving a source, just before that source's form saves it (and its
    # signals and history) with the rest of the initiative's form.
    ("initiatives/admin_forms.py", "Source.objects.filter(pk__in=demoted, is_primary=True).update"),
    # What the link checker found, which no history keeps: changes.record() in the same
    # transaction when readers would see it otherwise (test_a_link_check_...).
    ("initiatives/link_checks.py", "Source.objects.filter(pk=source.pk, url=source.url).update"),
    # check_sources' lease against overlapping runs: never shown to readers.
    ("initiatives/leases.py", "cls.objects.filter(free, name=name).update"),
    ("initiatives/leases.py", "cls.objects.filter(name=name, holder=holder).update"),
    ("initiatives/leases.py", "Lease.objects.filter(name=self.name, holder=self.holder).update"),
    # send_alerts turning a failed alert email back to "sending": its claim, never shown.
    ("initiatives/alert_mail.py", "retried.update"),
    # Not writes: SET LOCAL for the search's ids; SELECT 1 for /healthz.
    ("initiatives/search.py", "cursor.execute"),
    ("probono/health.py", "cursor.execute"),
    # Not writes: WAL positions read from the primary and from replicas.
    ("probono/replicas.py", "cursor.execute"),
    # Not writes: a dict, a hash, sets of surrogate keys.
    ("probono/release.py", "digest.update"),
    ("initiatives/api/dumps.py", "digest.update"),
    ("initiatives/changes.py", "_pending.keys.update"),
    ("probono/shared_cache.py", "keys.update"),
}
WRITES_WITHOUT_SIGNALS = {"update", "bulk_create", "bulk_update", "raw"}
SQL = {"execute", "executemany", "copy"}


def test_no_code_writes_around_the_signals_unreviewed():
    """QuerySet.update(), bulk_create(), bulk_update() and SQL send no signals: each use in the
    site's code must publish what it changes some other way, and is listed above."""
    root = Path(settings.BASE_DIR)
    found = set()
    for folder in ("probono", "initiatives", "networks"):
        for path in (root / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue  # `migrate` publishes everything (test_a_migration_publishes)
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Attribute):
                    continue
                receiver = ast.unparse(node.value)
                if node.attr in WRITES_WITHOUT_SIGNALS or (
                    node.attr in SQL and "cursor" in receiver
                ):
                    found.add((path.relative_to(root).as_posix(), f"{receiver}.{node.attr}"))
    assert found == REVIEWED


def test_an_embed_partner_s_change_and_deletion_reach_its_cached_list(
    admin_client, petition, publications
):
    """Its origins are its list's frame-ancestors: a change must not wait for the page cache."""
    partner = EmbedPartner.objects.create(
        name="Lab", slug="lab", allowed_origins="https://lab.example"
    )
    reader = Client()
    assert "https://lab.example" in reader.get("/embed/lab/")["Content-Security-Policy"]
    url = reverse("admin:networks_embedpartner_change", args=[partner.pk])
    data = admin_form_data(admin_client.get(url), allowed_origins="https://new.example")
    with publications() as writes:
        assert admin_client.post(url, data).status_code == 302
    assert writes.count == 1
    policy = reader.get("/embed/lab/")["Content-Security-Policy"]
    assert "https://new.example" in policy
    assert "https://lab.example" not in policy
    delete = reverse("admin:networks_embedpartner_delete", args=[partner.pk])
    with publications() as writes:
        assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert writes.count == 1
    assert reader.get("/embed/lab/").status_code == 404

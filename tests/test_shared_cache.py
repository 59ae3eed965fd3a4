"""What a shared cache in front (Varnish, a CDN) is offered, and its purge after each commit,
received by a local server that plays Varnish's part."""

import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from initiatives import changes
from initiatives.models import Initiative
from probono import caching, shared_cache
from tests.directory import make_initiative
from tests.test_caching import hold_rendering

pytestmark = pytest.mark.django_db

SHARED = "public, max-age=0, s-maxage=86400, stale-while-revalidate=60, stale-if-error=86400"


@pytest.fixture
def offered(settings):
    changes.publish()  # what the fixtures wrote, whose commit a test case never sees
    settings.SHARED_CACHE_MAX_AGE = 86400
    return settings


class Varnish(BaseHTTPRequestHandler):
    """Answers PURGE with a 200, recording its headers and the data version at that moment."""

    def do_PURGE(self):
        self.server.purges.append(
            {
                "keys": set(self.headers["xkey-purge"].split()),
                "version": int(self.headers["X-Data-Version"]),
                "version_when_received": caching.data_version(),
            }
        )
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish(offered):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Varnish)
    server.purges = []
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    offered.SHARED_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_address[1]}/"]
    yield server
    server.shutdown()
    server.server_close()


def test_nothing_is_offered_to_shared_caches_unless_asked(client, petition):
    response = client.get("/initiatives/")
    assert "s-maxage" not in response["Cache-Control"]
    assert "Surrogate-Key" not in response


def test_a_reader_s_page_is_offered_for_a_day_with_its_keys_and_version(client, petition, offered):
    first = client.get("/initiatives/?country=be")
    again = client.get("/initiatives/?country=be")  # from the page cache
    for response in (first, again):
        assert response["Cache-Control"] == SHARED
        assert response["Surrogate-Key"] == "initiatives site"
        assert response["X-Data-Version"] == str(caching.data_version())


def test_another_spelling_of_an_address_is_offered_for_a_minute(client, petition, offered):
    response = client.get("/initiatives/?utm_source=newsletter")
    assert "s-maxage=60," in response["Cache-Control"]


def test_an_initiative_s_page_names_what_it_shows(client, petition, offered, legal, covid):
    neighbour = make_initiative(
        "Free lawyers", "free-lawyers", sectors=[legal], countries=["BE"], tags=["lawyers"]
    )
    keys = set(client.get(petition.get_absolute_url())["Surrogate-Key"].split())
    assert {
        "site",
        f"initiative:{petition.pk}",
        f"facilitator:{petition.facilitator_id}",
        f"crisis:{covid.pk}",
        f"sector:{legal.pk}",
        f"tag:{petition.tags.get().pk}",
        # The initiative it suggests, and what that one is linked to.
        f"initiative:{neighbour.pk}",
        "country:be",
    } <= keys
    # No other initiative's edit needs to purge it.
    assert "initiatives" not in keys


@pytest.mark.parametrize(
    "path",
    [
        "/admin/login/",  # the admin
        "/initiatives/propose/",  # a form, with its CSRF cookie
        "/initiatives/no-such-initiative/",  # a 404
    ],
)
def test_what_is_not_for_every_reader_is_never_offered(client, petition, offered, path):
    response = client.get(path)
    assert "s-maxage" not in response.get("Cache-Control", "")
    assert "Surrogate-Key" not in response


def test_staff_pages_are_never_offered(admin_client, petition, offered):
    response = admin_client.get("/initiatives/")
    assert "s-maxage" not in response.get("Cache-Control", "")
    assert "Surrogate-Key" not in response


def test_a_page_kept_before_an_edit_is_served_but_not_offered(
    client, petition, offered, django_capture_on_commit_callbacks
):
    client.get("/initiatives/")
    with django_capture_on_commit_callbacks(execute=True):
        petition.title = "A renamed petition"
        petition.save()
    hold_rendering("/initiatives/")
    late = client.get("/initiatives/")
    assert b"Petition to the EU health ministers" in late.content
    assert late["Cache-Control"] == "public, no-cache"
    assert "Surrogate-Key" not in late


def test_a_page_rendered_while_a_write_commits_is_not_offered(offered):
    def render_during_a_commit(request):
        caching.data_changed()
        return HttpResponse("rendered from rows read before the write")

    middleware = caching.PageCacheMiddleware(render_during_a_commit)
    response = middleware(RequestFactory().get("/anything/"))
    assert "Surrogate-Key" not in response
    assert "s-maxage" not in response["Cache-Control"]


def test_an_edit_purges_its_initiative_what_it_is_linked_to_and_the_lists(
    petition, legal, varnish, django_capture_on_commit_callbacks
):
    petition.countries.add("PT")
    varnish.purges.clear()
    with django_capture_on_commit_callbacks(execute=True):
        petition.title = "A renamed petition"
        petition.save()
    [purge] = varnish.purges
    assert purge["keys"] == {
        "initiatives",
        f"initiative:{petition.pk}",
        f"facilitator:{petition.facilitator_id}",
        f"sector:{legal.pk}",
        "country:be",
        "country:pt",
    }
    # Sent once the versions had moved, and naming them.
    assert purge["version"] == purge["version_when_received"] == caching.data_version()


def test_a_transaction_of_many_writes_purges_once(
    petition, draft, varnish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        petition.title = "A renamed petition"
        petition.save()
        draft.status = Initiative.Status.PUBLISHED
        draft.save()
    [purge] = varnish.purges
    assert {f"initiative:{petition.pk}", f"initiative:{draft.pk}"} <= purge["keys"]


def test_a_rolled_back_write_purges_nothing(petition, varnish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        petition.title = "Never committed"
        petition.save()
        transaction.set_rollback(True)
    assert varnish.purges == []


def test_a_source_purges_its_initiative_but_no_list(
    petition, varnish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        petition.sources.create(url="https://example.org/report", accessed_on=date(2020, 4, 1))
    [purge] = varnish.purges
    assert f"initiative:{petition.pk}" in purge["keys"]
    assert "initiatives" not in purge["keys"]  # no list shows sources


def test_a_renamed_sector_purges_its_pages_and_the_lists(
    legal, varnish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        legal.name = "Law"
        legal.save()
    assert [purge["keys"] for purge in varnish.purges] == [{"initiatives", f"sector:{legal.pk}"}]


def test_a_deleted_sector_purges_everything(legal, varnish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        legal.delete()
    assert [purge["keys"] for purge in varnish.purges] == [{"site"}]


def test_a_shared_cache_that_is_down_costs_the_write_nothing(
    petition, offered, django_capture_on_commit_callbacks, caplog
):
    offered.SHARED_CACHE_PURGE_URLS = ["http://127.0.0.1:9/"]  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        petition.title = "Renamed while Varnish is down"
        petition.save()
    petition.refresh_from_db()
    assert petition.title == "Renamed while Varnish is down"
    assert "was not purged" in caplog.text


def test_a_bulk_change_purges_everything_at_once(varnish):
    assert shared_cache.purge({f"initiative:{n}" for n in range(500)}, 1) is True
    assert [purge["keys"] for purge in varnish.purges] == [{"site"}]


def test_an_export_is_offered_without_being_kept_by_the_page_cache(client, petition, offered):
    response = client.get("/initiatives/export.csv")
    assert response.streaming
    assert response["Cache-Control"] == SHARED
    assert response["Surrogate-Key"] == "initiatives site"
    filtered = client.get("/initiatives/export.csv?country=be")
    assert "s-maxage=60," in filtered["Cache-Control"]


def test_a_reader_s_first_render_does_not_vary_on_cookies(client, petition, offered):
    """Varnish keeps nothing that varies on cookies: the first render, which it fetches after
    each purge, must be as keepable as the page cache's later copies."""
    for path in ("/initiatives/", petition.get_absolute_url(), "/countries/be/"):
        assert "Cookie" not in client.get(path).get("Vary", ""), path

"""Pages and counts come from the cache until the directory changes, and never after."""

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory, override_settings

from initiatives.models import Initiative, Sector
from probono import caching
from probono.cache import RedisCache
from probono.release import LEFT_OUT, SOURCES, code_version
from tests.conftest import REDIS, flush_caches
from tests.directory import make_initiative

pytestmark = pytest.mark.django_db


def test_a_second_anonymous_visit_is_served_from_the_cache(
    client, petition, django_assert_num_queries
):
    first = client.get("/initiatives/?country=be")
    with django_assert_num_queries(0):
        second = client.get("/initiatives/?country=be")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_made_up_values_of_the_fragment_header_share_the_whole_page(
    client, petition, django_assert_num_queries
):
    page = client.get("/initiatives/?country=be", headers={"X-Requested-With": "XMLHttpRequest"})
    with django_assert_num_queries(0):
        again = client.get("/initiatives/?country=be", headers={"X-Requested-With": "made-up-2"})
        plain = client.get("/initiatives/?country=be")
    assert again.content == plain.content == page.content
    fragment = client.get("/initiatives/?country=be", headers={"X-Requested-With": "finder"})
    assert fragment.content != page.content
    assert b"<html" not in fragment.content


def test_a_browser_that_has_the_page_gets_a_304(client, petition, django_assert_num_queries):
    etag = client.get("/initiatives/")["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/initiatives/", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_browsers_must_ask_again_before_reusing_a_page(client, petition):
    cache_control = client.get("/initiatives/")["Cache-Control"]
    assert "no-cache" in cache_control


def test_an_edit_is_visible_on_the_very_next_request(
    client, petition, django_capture_on_commit_callbacks
):
    etag = client.get("/initiatives/")["ETag"]
    assert b"Petition to the EU health ministers" in client.get("/initiatives/").content
    with django_capture_on_commit_callbacks(execute=True):
        petition.title = "A renamed petition"
        petition.save()
    response = client.get("/initiatives/", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert b"A renamed petition" in response.content
    assert response["ETag"] != etag


def test_unpublishing_removes_an_initiative_from_cached_pages_and_counts(
    client, petition, django_capture_on_commit_callbacks
):
    for url in ["/", "/initiatives/", "/countries/be/", "/sectors/legal/"]:
        assert b"Petition to the EU health ministers" in client.get(url).content, url
    with django_capture_on_commit_callbacks(execute=True):
        petition.status = Initiative.Status.DRAFT
        petition.save()
    for url in ["/", "/initiatives/", "/countries/be/", "/sectors/legal/"]:
        assert b"Petition to the EU health ministers" not in client.get(url).content, url
    assert b"0 initiatives" in client.get("/initiatives/").content


def test_sector_changes_show_on_the_cards_at_once(
    client, petition, legal, django_capture_on_commit_callbacks
):
    """Cards take their sectors from each process's copy, which a write must replace."""
    card_chip = b'<a class="chip" href="/sectors/%s/">%s</a>'
    for url in ["/", "/initiatives/", "/countries/be/"]:
        assert card_chip % (b"legal", b"Legal") in client.get(url).content, url
    with django_capture_on_commit_callbacks(execute=True):
        legal.name = "Legal aid"
        legal.save()
        petition.sectors.add(Sector.objects.create(name="Mental health", slug="mental-health"))
    for url in ["/", "/initiatives/", "/countries/be/"]:
        content = client.get(url).content
        assert card_chip % (b"legal", b"Legal aid") in content, url
        assert card_chip % (b"mental-health", b"Mental health") in content, url


def test_a_new_tag_shows_in_the_facets_at_once(
    client, petition, django_capture_on_commit_callbacks
):
    client.get("/initiatives/")
    with django_capture_on_commit_callbacks(execute=True):
        petition.tags.add("brand-new-tag")
    assert b"brand-new-tag" in client.get("/initiatives/").content


def test_facet_counts_are_shared_by_every_page_and_sort_of_one_view(
    client, petition, django_assert_max_num_queries
):
    for number in range(25):
        make_initiative(f"Extra {number}", f"extra-{number}", countries=["BE"])
    client.get("/initiatives/?country=be")
    # Page 2 renders afresh but reuses the vocabulary, the count and the facet counts:
    # only the page's ids, its initiatives and their countries and sectors are read.
    with django_assert_max_num_queries(4):
        response = client.get("/initiatives/?country=be&page=2")
    assert response.status_code == 200
    assert len(response.context["finder"].page) == 6


def test_staff_are_never_served_a_cached_page(client, admin_user, draft):
    client.get(draft.get_absolute_url())
    client.force_login(admin_user)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert b"Draft, not public." in response.content
    assert "ETag" not in response


def test_a_draft_preview_is_never_cached_for_anyone(client, client_factory, admin_user, draft):
    client.force_login(admin_user)
    assert client.get(draft.get_absolute_url())["Cache-Control"] == "private, no-store"
    assert client_factory().get(draft.get_absolute_url()).status_code == 404


def test_the_redis_cache_keeps_one_client_per_connection_pool():
    """Django's own backend builds a client for every operation; ours reuses it, and still
    reads, writes and counts in a real Redis."""
    backend = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "tests-redis-client"})
    backend.delete_many(["answer", "counter"])
    backend.set("answer", {"value": 42})
    assert backend.get("answer") == {"value": 42}
    assert backend.add("counter", 1)
    assert backend.incr("counter") == 2
    assert backend.delete("answer")
    assert backend.get("answer") is None
    assert backend._cache.get_client() is backend._cache.get_client(write=True)


def test_each_release_keeps_its_own_keys_in_the_shared_cache(tmp_path):
    """After a deploy, pages cached by the old templates or styles must not be served."""
    for folder in SOURCES:
        (tmp_path / folder).mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>{{ title }}</p>")
    (tmp_path / "static" / "site.css").write_text("p { margin: 0 }")
    release = code_version(tmp_path)
    assert code_version(tmp_path) == release
    for suffix in LEFT_OUT:  # built from the sources, on some machines and not others
        (tmp_path / "locale" / f"built{suffix}").write_bytes(b"\x00")
    assert code_version(tmp_path) == release
    (tmp_path / "static" / "site.css").write_text("p { margin: 1rem }")
    assert code_version(tmp_path) != release


def test_the_shared_cache_is_keyed_by_the_release_but_not_the_versions():
    settings_of_a_worker = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; import json; print(json.dumps(settings.CACHES))",
        ],
        env={**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/15"},
        capture_output=True,
        text=True,
        check=True,
    )
    caches_of_a_worker = json.loads(settings_of_a_worker.stdout)
    assert caches_of_a_worker["default"]["KEY_PREFIX"] == code_version(settings.BASE_DIR)
    assert caches_of_a_worker["versions"]["KEY_PREFIX"] == "directory"


def release(name):
    """The settings of a release's workers: its own pages, the versions every release shares."""
    return override_settings(
        CACHES={**REDIS, "default": {**REDIS["default"], "KEY_PREFIX": f"release-{name}"}}
    )


def test_a_write_by_one_release_reaches_the_readers_of_another():
    """During a deploy old and new workers serve side by side, and a migration or an editor
    on either may write: both must see it."""
    with release("old"):
        flush_caches()
        before = caching.versions()
    with release("new"):
        assert caching.versions() == before
        caching.data_changed(removal=True)
    with release("old"):
        after = caching.versions()
    assert after[0] > before[0]
    assert after[1] > before[1]


def page_key(url):
    request = RequestFactory().get(url)
    return caching.page_key(request, "en")


def hold_rendering(url):
    """As if another worker were rendering this page right now."""
    assert cache.add(page_key(url) + ":rendering", 1)


def test_the_previous_version_is_kept_at_most_a_minute():
    """docs/changes.md's promise: an edit or an addition reaches readers at most 60 s late."""
    assert caching.STALE_FOR <= 60


def test_while_another_request_renders_an_edited_page_readers_get_the_previous_one(
    client, petition, django_capture_on_commit_callbacks
):
    first = client.get("/initiatives/")
    with django_capture_on_commit_callbacks(execute=True):
        petition.title = "A renamed petition"
        petition.save()
    hold_rendering("/initiatives/")
    late = client.get("/initiatives/")
    assert b"Petition to the EU health ministers" in late.content
    assert late["ETag"] == first["ETag"]
    # ...and that page's own ETag still gets a 304, as the page it stands for.
    assert client.get("/initiatives/", headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_a_page_older_than_the_limit_is_rendered_again_whoever_else_is_rendering(
    client, petition, django_capture_on_commit_callbacks, monkeypatch
):
    client.get("/initiatives/")
    with django_capture_on_commit_callbacks(execute=True):
        petition.title = "A renamed petition"
        petition.save()
    hold_rendering("/initiatives/")
    monkeypatch.setattr(caching, "STALE_FOR", -1)  # the page is now past the limit
    monkeypatch.setattr(caching, "WAIT_FOR", 0.05)
    assert b"A renamed petition" in client.get("/initiatives/").content


def test_a_removal_is_never_served_late_even_while_another_request_renders(
    client, petition, django_capture_on_commit_callbacks, monkeypatch
):
    urls = ["/initiatives/", "/initiatives/?country=be", petition.get_absolute_url()]
    etags = {url: client.get(url)["ETag"] for url in urls}
    with django_capture_on_commit_callbacks(execute=True):
        petition.status = Initiative.Status.DRAFT
        petition.save()
    monkeypatch.setattr(caching, "WAIT_FOR", 0.05)
    for url in urls:
        hold_rendering(url)
        response = client.get(url, headers={"If-None-Match": etags[url]})
        assert response.status_code in (200, 404), url
        assert b"Petition to the EU health ministers" not in response.content, url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readers_of_a_cold_page_wait_for_one_of_them_to_render_it(
    each_cache, petition, monkeypatch
):
    """No stampede: of eight readers arriving together, one renders the page."""
    renders = []
    render = caching.PageCacheMiddleware.rendered

    def counted(self, *args):
        renders.append(1)
        time.sleep(0.2)  # a slow page, so that the others arrive while it renders
        return render(self, *args)

    monkeypatch.setattr(caching.PageCacheMiddleware, "rendered", counted)
    start = threading.Barrier(8)

    def read(_number):
        try:
            start.wait()
            return Client().get("/initiatives/?country=be").content
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(read, range(8)))
    assert len(renders) == 1
    assert all(b"Petition to the EU health ministers" in page for page in pages)


def test_a_made_up_session_cookie_is_served_the_cached_page(
    client, client_factory, admin_user, petition, django_assert_max_num_queries
):
    """Only a session that holds a logged-in user bypasses the cache: a forged cookie costs
    one look-up of the session, not a render."""
    first = client.get("/initiatives/?country=be")
    forger = client_factory()
    forger.cookies[settings.SESSION_COOKIE_NAME] = "forged0123456789abcdefghijklmnop"
    with django_assert_max_num_queries(1):
        response = forger.get("/initiatives/?country=be")
    assert response.status_code == 200
    assert response.content == first.content
    assert response["ETag"] == first["ETag"]
    # A session of a logged-in user still bypasses it.
    client.force_login(admin_user)
    assert "ETag" not in client.get("/initiatives/?country=be")

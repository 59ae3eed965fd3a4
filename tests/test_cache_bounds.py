"""The page cache is bounded and cannot be pushed aside: a Redis that is full or down costs
readers a render, never a 500; made-up addresses are kept a minute at most; each host and scheme
has its own pages (docs/operations.md: Redis)."""

import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings
from django.test.client import RequestFactory

from probono import caching

pytestmark = pytest.mark.django_db

DAY = caching.PAGE_TIMEOUT
PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/?country=be",
    "/initiatives/?q=ministers",
    "/initiatives/eu-health-petition/",
    "/countries/",
    "/countries/be/",
    "/sectors/legal/",
    "/facilitators/",
    "/initiatives/feed/",
    "/sitemap.xml",
    "/robots.txt",
    "/fr/initiatives/",
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of this test's own, capped at 2 MB."""

    def __init__(self, policy):
        self.port = free_port()
        limits = ["--maxmemory", "2mb", "--maxmemory-policy", policy]
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                *limits,
            ],
            stdout=subprocess.DEVNULL,
        )
        self.client = redis.Redis(port=self.port)
        for _attempt in range(100):
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)

    @property
    def caches(self):
        location = f"redis://127.0.0.1:{self.port}/0"
        return {
            alias: {
                "BACKEND": "probono.cache.RedisCache",
                "LOCATION": location,
                "KEY_PREFIX": alias,
            }
            for alias in ("default", "versions")
        }

    def fill(self):
        """Write until Redis refuses: what a scan of made-up addresses left."""
        for number in range(10_000):
            try:
                self.client.set(f"junk:{number}", b"x" * 10_000)
            except redis.exceptions.OutOfMemoryError:
                return
        raise AssertionError("Redis took 100 MB past its 2 MB limit.")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def full_redis():
    server = RedisServer("noeviction")
    yield server
    server.stop()


@pytest.fixture
def capped(full_redis):
    """The site on the capped Redis, emptied first."""
    full_redis.client.flushall()
    with override_settings(CACHES=full_redis.caches):
        yield full_redis


@pytest.fixture
def stopped_redis():
    server = RedisServer("noeviction")
    with override_settings(CACHES=server.caches):
        yield server
    server.stop()


def test_pages_answer_when_redis_is_full(client, directory, capped):
    client.get("/initiatives/")  # the versions are in Redis, then a scan fills it
    capped.fill()
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"Petition to the EU health ministers" in client.get("/initiatives/").content


def test_pages_answer_when_redis_is_full_without_the_versions(client, directory, capped):
    capped.fill()
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url


def test_pages_and_exports_answer_when_redis_is_down(client, directory, stopped_redis, settings):
    assert client.get("/initiatives/").status_code == 200
    stopped_redis.stop()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "exports": 1}
    for url in [*PAGES, "/initiatives/export.csv", "/initiatives/export.csv"]:
        response = client.get(url)
        assert response.status_code == 200, url
        # Versions unknown: no ETag that a browser could later get a wrong 304 for.
        assert "ETag" not in response, url


def entry_lifetime(server, url, **headers):
    """How long Redis keeps the page at `url`, in seconds; None if it keeps nothing."""
    request = RequestFactory().get(url, headers=headers)
    key = cache.make_key(caching.page_key(request, headers.get("lang", "en")))
    lifetime = server.client.ttl(key)
    return None if lifetime == -2 else lifetime


CANONICAL = [
    "/initiatives/",
    "/initiatives/?country=be",
    "/initiatives/?country=be&sector=legal",
    "/countries/be/?crisis=covid-19",
    "/facilitators/?country=be",
    "/",
    "/sitemap.xml",
]
MADE_UP = [
    "/initiatives/?junk=1",
    "/initiatives/?country=be&utm_source=newsletter",
    "/initiatives/?country=zz",  # a value the finder ignores, with a notice
    "/initiatives/?page=999",  # past the last page, with a notice
    "/countries/be/?junk=1",
    "/facilitators/?country=be&junk=1",
    "/?junk=1",
    "/sitemap.xml?junk=1",
    "/initiatives/eu-health-petition/?junk=1",
]


def test_only_canonical_addresses_are_kept_long(client, directory, capped):
    for url in CANONICAL + MADE_UP:
        assert client.get(url).status_code == 200, url
    for url in CANONICAL:
        assert entry_lifetime(capped, url) > DAY - 60, url
    for url in MADE_UP:
        assert 0 < entry_lifetime(capped, url) <= caching.NONCANONICAL_FOR, url
    # Another order of the same filters is redirected, and nothing kept.
    assert client.get("/initiatives/?sector=legal&country=be").status_code == 301
    assert entry_lifetime(capped, "/initiatives/?sector=legal&country=be") is None


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_each_host_and_scheme_has_its_own_pages(client, directory):
    """One request naming another host must not set the links everyone else gets."""
    odd = client.get("/robots.txt", headers={"host": "localhost", "x-forwarded-proto": "https"})
    assert b"Sitemap: https://localhost/sitemap.xml" in odd.content
    assert b"Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content
    odd = client.get("/initiatives/", headers={"host": "localhost", "x-forwarded-proto": "https"})
    assert b'<link rel="canonical" href="https://localhost/initiatives/">' in odd.content
    page = client.get("/initiatives/").content
    assert b'<link rel="canonical" href="http://testserver/initiatives/">' in page
    secure = client.get("/initiatives/", secure=True).content
    assert b'<link rel="canonical" href="https://testserver/initiatives/">' in secure

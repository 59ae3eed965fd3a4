"""Rate limits per client address on exports, searches and the admin's forms: past the limit a
429 page with Retry-After; other addresses, cached pages and the next window are not limited."""

import re
import time

import pytest

pytestmark = pytest.mark.django_db

EXPORT = "/initiatives/export.csv?country=be"


@pytest.fixture
def limits(settings):
    settings.RATE_LIMIT_WINDOW = 60
    settings.RATE_LIMITS = {"exports": 3, "searches": 2, "logins": 2, "imports": 2}
    return settings


def from_address(client, url, address, **kwargs):
    return client.get(url, REMOTE_ADDR=address, **kwargs)


def test_the_export_past_the_limit_gets_a_429_while_another_address_does_not(
    client, directory, limits, each_cache
):
    for _number in range(3):
        assert from_address(client, EXPORT, "203.0.113.7").status_code == 200
    refused = from_address(client, EXPORT, "203.0.113.7")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    page = refused.content.decode()
    assert "Too many requests" in page
    assert re.search(r"more than 3 exports in 60 seconds\. Please try again in \d+ seconds", page)
    assert from_address(client, "/initiatives/export.json", "203.0.113.7").status_code == 429
    assert from_address(client, EXPORT, "203.0.113.8").status_code == 200


def test_the_limit_resets_after_the_window(client, directory, limits):
    limits.RATE_LIMITS = {"exports": 1}
    limits.RATE_LIMIT_WINDOW = 2
    # Two requests may straddle the end of a window; a third cannot straddle two.
    for _attempt in range(3):
        if (refused := from_address(client, EXPORT, "203.0.113.7")).status_code == 429:
            break
    assert refused.status_code == 429
    time.sleep(int(refused["Retry-After"]) + 0.1)
    assert from_address(client, EXPORT, "203.0.113.7").status_code == 200


def test_searches_served_from_the_page_cache_are_not_counted(client, directory, limits):
    for _number in range(5):
        assert from_address(client, "/initiatives/?q=petition", "203.0.113.7").status_code == 200
    assert from_address(client, "/countries/be/?q=health", "203.0.113.7").status_code == 200
    refused = from_address(client, "/initiatives/?q=nurses", "203.0.113.7")
    assert refused.status_code == 429
    assert "Retry-After" in refused
    # Pages without a search are not limited, nor is the search of another address.
    assert from_address(client, "/initiatives/?country=be", "203.0.113.7").status_code == 200
    assert from_address(client, "/initiatives/?q=nurses", "203.0.113.8").status_code == 200


def test_the_429_page_is_never_kept_by_the_page_cache(client, directory, limits):
    limits.RATE_LIMITS = {"searches": 1}
    assert from_address(client, "/initiatives/?q=petition", "203.0.113.7").status_code == 200
    assert from_address(client, "/initiatives/?q=nurses", "203.0.113.7").status_code == 429
    assert from_address(client, "/initiatives/?q=nurses", "203.0.113.8").status_code == 200


def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_saw(
    client, directory, limits
):
    limits.TRUSTED_PROXY_COUNT = 1
    for _number in range(3):
        response = client.get(EXPORT, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert response.status_code == 200
    forged = "198.51.100.1, 203.0.113.7"  # the client made up the first hop
    assert (
        client.get(EXPORT, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forged).status_code == 429
    )
    other = client.get(EXPORT, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 200


def test_without_trusted_proxies_a_forwarded_address_changes_nothing(client, directory, limits):
    for number in range(3):
        forwarded = f"198.51.100.{number}"
        assert client.get(EXPORT, HTTP_X_FORWARDED_FOR=forwarded).status_code == 200
    assert client.get(EXPORT, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_admin_logins_past_the_limit_get_a_429(client, admin_user, limits):
    url = "/admin/login/"
    for _number in range(2):
        response = client.post(url, {"username": "nobody", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(url, {"username": "nobody", "password": "wrong"})
    assert response.status_code == 429
    assert "Retry-After" in response
    assert client.get(url).status_code == 200  # the form itself is not limited


def test_admin_imports_past_the_limit_get_a_429(client, admin_user, limits):
    client.force_login(admin_user)
    url = "/admin/initiatives/initiative/import/"
    for _number in range(2):
        assert client.post(url, {}).status_code == 200
    assert client.post(url, {}).status_code == 429


def test_made_up_addresses_are_rendered_only_so_often_per_address(client, directory, limits):
    limits.RATE_LIMITS = {"pages": 3}
    assert from_address(client, "/sitemap.xml", "203.0.113.7").status_code == 200
    for number in (1, 2):
        assert from_address(client, f"/sitemap.xml?junk={number}", "203.0.113.7").status_code == 200
    refused = from_address(client, "/sitemap.xml?junk=3", "203.0.113.7")
    assert refused.status_code == 429
    assert "more than 3 pages not yet in the cache in 60 seconds" in refused.content.decode()
    # What is in the cache already costs nothing; the health check and others are not limited.
    assert from_address(client, "/sitemap.xml", "203.0.113.7").status_code == 200
    assert from_address(client, "/healthz", "203.0.113.7").status_code == 200
    assert from_address(client, "/sitemap.xml?junk=3", "203.0.113.8").status_code == 200

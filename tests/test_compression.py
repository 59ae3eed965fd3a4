"""Public pages, feeds, sitemaps and exports go out compressed to browsers that accept it; the
admin, whose pages carry CSRF tokens, never does (BREACH)."""

import gzip

import pytest
from django.urls import reverse

from tests.conftest import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory_built_once")]

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/initiatives/?country=be",
        "/fr/countries/be/",
        "/initiatives/eu-health-petition/",
        "/initiatives/feed/",
        "/initiatives/export.csv",
        "/initiatives/export.json",
        "/sitemap-initiatives.xml",
    ],
)
def test_a_public_page_goes_out_compressed_and_unchanged(client, directory, url):
    plain = client.get(url)
    compressed = client.get(url, headers=GZIP)
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(body(compressed)) == body(plain)
    assert "Content-Encoding" not in plain


def test_a_cached_page_is_kept_plain_and_compressed_for_each_reader(client, directory):
    first = client.get("/initiatives/", headers=GZIP)
    again = client.get("/initiatives/", headers=GZIP)
    plain = client.get("/initiatives/")
    assert gzip.decompress(first.content) == gzip.decompress(again.content) == plain.content
    # The validator survives compression (weakened, as RFC 9110 asks): a 304 still answers.
    assert again["ETag"].startswith('W/"')
    revisit = client.get("/initiatives/", headers={**GZIP, "If-None-Match": again["ETag"]})
    assert revisit.status_code == 304


def test_the_admin_is_never_compressed(admin_client, directory):
    urls = ["admin:index", "admin:initiatives_initiative_changelist", "admin:login"]
    for url in map(reverse, urls):
        response = admin_client.get(url, headers=GZIP)
        assert response.status_code in (200, 302), url
        assert "Content-Encoding" not in response, url

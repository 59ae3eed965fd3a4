"""Links: old slugs redirect in one hop, and no redirect built from user input leaves the site."""

import unicodedata
from urllib.parse import unquote_to_bytes, urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from initiatives.models import Sector
from networks.models import Facilitator, Network

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory_built_once")]

OFF_SITE = [
    "//evil.example",
    "//evil.example/initiatives/",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "https://evil.example",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "%2F%2Fevil.example",
    "%2f%5cevil.example",
    "/%2F/evil.example",
    "/%09/evil.example",
    "\t//evil.example",
    "https%3A%2F%2Fevil.example",
    "javascript%3Aalert(1)",
    "//testserver@evil.example",
    "http://testserver.evil.example",
]


def assert_stays_on_site(response):
    location = response["Location"]
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), location
    # Resolved as a browser would, from the page that answered.
    resolved = urlsplit(urljoin(response.request["PATH_INFO"], location))
    assert (resolved.scheme, resolved.netloc) == ("", ""), location
    assert resolved.path.startswith("/"), location


def rename_twice(obj):
    first = obj.slug
    obj.slug = f"{first}-renamed"
    obj.save()
    obj.slug = f"{first}-renamed-again"
    obj.save()
    return first, f"{first}-renamed"


@pytest.mark.parametrize("kind", ["initiative", "sector", "network", "facilitator"])
def test_a_slug_renamed_twice_redirects_from_each_old_one_straight_to_the_current(
    client, petition, kind
):
    obj = {
        "initiative": petition,
        "sector": Sector.objects.get(slug="legal"),
        "network": Network.objects.get(slug="global-pro-bono-network"),
        "facilitator": Facilitator.objects.get(slug="the-good-lobby"),
    }[kind]
    old_urls = [obj.get_absolute_url()]
    for old_slug in rename_twice(obj)[1:]:
        old_urls.append(obj.get_absolute_url().replace(obj.slug, old_slug))
    for old_url in old_urls:
        response = client.get(old_url + "?sort=title")
        assert response.status_code == 301, old_url
        assert response["Location"] == obj.get_absolute_url() + "?sort=title"
        assert client.get(response["Location"]).status_code == 200


def test_an_old_slug_redirect_keeps_hostile_parameters_on_this_site(client, petition):
    rename_twice(petition)
    for target in OFF_SITE:
        response = client.get("/initiatives/eu-health-petition/", {"next": target})
        assert response.status_code == 301
        assert_stays_on_site(response)


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_admin_login_never_sends_an_editor_off_the_site(client, editor, target):
    editor.set_password("a long enough password")
    editor.save()
    response = client.post(
        reverse("admin:login") + "?next=" + target,
        {"username": "edith", "password": "a long enough password", "next": target},
    )
    assert response.status_code == 302
    assert_stays_on_site(response)


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_admin_logout_never_sends_an_editor_off_the_site(editor_client, target):
    response = editor_client.post(reverse("admin:logout"), {"next": target})
    if response.status_code == 302:
        assert_stays_on_site(response)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_finder_canonical_redirect_stays_on_the_site(client, directory, target):
    # A control character inside a search earns a notice, and a page with one is not redirected.
    redirected = not any(unicodedata.category(char) == "Cc" for char in target.strip())
    for path in ["/initiatives/", "/countries/be/", "/sectors/legal/", "/fr/initiatives/"]:
        response = client.get(path, {"sort": "newest", "kind": "HACKATHON", "q": target})
        assert response.status_code == (301 if redirected else 200), path
        if redirected:
            assert_stays_on_site(response)
            assert response["Location"].startswith(path + "?")


def get_path(client, path):
    """GET a path exactly as a server hands it over, which the test client would read as a URL
    when it starts with "//"."""
    path_info = unquote_to_bytes(path).decode("iso-8859-1")
    return client.request(
        PATH_INFO=path_info, REQUEST_METHOD="GET", QUERY_STRING="", SERVER_PORT="80"
    )


@pytest.mark.parametrize("target", OFF_SITE)
def test_no_path_redirects_off_the_site(client, directory, target):
    for path in [target, target + "/", "/" + target, target + "/initiatives", "/fr" + target]:
        response = get_path(client, path)
        assert response.status_code in (301, 302, 404), path
        if response.status_code != 404:
            assert_stays_on_site(response)


def test_the_country_code_redirect_keeps_the_query_and_the_site(client, directory):
    response = client.get("/countries/BE/", {"sector": "legal", "next": "//evil.example"})
    assert response.status_code == 301
    assert_stays_on_site(response)
    assert response["Location"].startswith("/countries/be/?")
    assert "sector=legal" in response["Location"]


@pytest.mark.parametrize("code", ["%2F%2Fevil.example", "%5Cevil.example", "//evil.example"])
def test_a_country_code_cannot_be_turned_into_a_redirect(client, db, code):
    assert client.get(f"/countries/{code}/").status_code == 404

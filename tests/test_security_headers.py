"""Every kind of response carries the security headers, and they match a committed list.

The list, tests/security/expected_headers.txt, catches a header that silently disappears or
changes (a middleware moved, a view answering from another stack). After a deliberate change,
`UPDATE_GOLDEN=1 pytest tests/test_security_headers.py` rewrites it; review the diff.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils.http import parse_header_parameters

from networks.models import EmbedPartner

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "security" / "expected_headers.txt"
# Their values change from one response to the next; the golden file shows them as "*".
VOLATILE = {"x-request-id", "etag", "expires", "last-modified", "date", "content-length"}
# Cookies have tests of their own, below.
DROPPED = {"set-cookie"}
PREAMBLE = (
    "# Every kind of response over HTTPS, as tests/test_security_headers.py gets it, with its\n"
    "# status and headers (no Set-Cookie; * for values that change from one response to the\n"
    "# next). UPDATE_GOLDEN=1 pytest tests/test_security_headers.py rewrites this file."
)

POLICY = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "style-src-attr": "'unsafe-hashes' 'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
    "img-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def directives(policy):
    """A policy as {directive: sources}; django-csp writes the directives in no fixed order."""
    return dict(part.split(" ", 1) for part in policy.split("; ") if part)


def get(client, url, **headers):
    return client.get(url, secure=True, headers=headers)


def page_from_cache(client):
    get(client, "/initiatives/?country=be")
    return get(client, "/initiatives/?country=be")


def not_modified(client):
    etag = get(client, "/initiatives/")["ETag"]
    return get(client, "/initiatives/", **{"If-None-Match": etag})


def server_error(client, settings):
    settings.ROOT_URLCONF = "tests.failing_urls"
    client.raise_request_exception = False
    return get(client, "/fails/")


def static_file(settings, path="/static/css/site.css"):
    # The tests have no collected static files; WhiteNoise finds them where they are written.
    settings.WHITENOISE_USE_FINDERS = True
    return Client().get(path, secure=True)


def embed_from_cache(client):
    get(client, "/embed/lab/?country=be")
    return get(client, "/embed/lab/?country=be")


# A partner's list may be framed by the partner's pages (and the directory's own), and its
# loader loaded by them; nothing else.
EMBEDS = {"embed", "embed from the page cache", "embed redirect to the canonical URL"}
EMBED_ANCESTORS = "'self' https://lab.example"
CROSS_ORIGIN = {"embed loader"}


# Each kind of response: its name, its status, and how to get one.
RESPONSES = {
    "home page": (200, lambda client, settings: get(client, "/")),
    "list": (200, lambda client, settings: get(client, "/initiatives/")),
    "filtered list": (200, lambda client, settings: get(client, "/initiatives/?country=be")),
    "list from the page cache": (200, lambda client, settings: page_from_cache(client)),
    "304 not modified": (304, lambda client, settings: not_modified(client)),
    "finder fragment": (
        200,
        lambda client, settings: get(
            client, "/initiatives/?country=be", **{"X-Requested-With": "finder"}
        ),
    ),
    "detail": (200, lambda client, settings: get(client, "/initiatives/eu-health-petition/")),
    "country": (200, lambda client, settings: get(client, "/countries/be/")),
    "share card": (200, lambda client, settings: get(client, "/countries/be/card.png")),
    "redirect to the canonical URL": (
        301,
        lambda client, settings: get(client, "/initiatives/?country=BE"),
    ),
    "404": (404, lambda client, settings: get(client, "/initiatives/no-such-initiative/")),
    "400 unknown host": (
        400,
        lambda client, settings: client.get("/", secure=True, HTTP_HOST="attacker.example"),
    ),
    "500": (500, server_error),
    "feed": (200, lambda client, settings: get(client, "/initiatives/feed/")),
    "sitemap": (200, lambda client, settings: get(client, "/sitemap.xml")),
    "csv export": (200, lambda client, settings: get(client, "/initiatives/export.csv")),
    "json export": (200, lambda client, settings: get(client, "/initiatives/export.json")),
    "robots.txt": (200, lambda client, settings: get(client, "/robots.txt")),
    "admin login": (200, lambda client, settings: get(client, "/admin/login/")),
    "admin redirect to login": (302, lambda client, settings: get(client, "/admin/")),
    "static file": (200, lambda client, settings: static_file(settings)),
    "embed": (200, lambda client, settings: get(client, "/embed/lab/?country=be")),
    "embed from the page cache": (200, lambda client, settings: embed_from_cache(client)),
    "embed redirect to the canonical URL": (
        301,
        lambda client, settings: get(client, "/embed/lab/?country=BE"),
    ),
    "embed of an unknown partner": (404, lambda client, settings: get(client, "/embed/no/")),
    "embed theme": (200, lambda client, settings: get(client, "/embed/lab/theme.css")),
    "embed loader": (200, lambda client, settings: static_file(settings, "/static/js/embed.js")),
    "oembed": (
        200,
        lambda client, settings: get(client, "/oembed/?url=https://testserver/embed/lab/"),
    ),
    "oembed 400": (400, lambda client, settings: get(client, "/oembed/")),
}


def described(name, response):
    """The response's status and headers as lines of text, sorted, volatile values as "*"."""
    lines = [f"[{name}] {response.status_code}"]
    for header, value in sorted((k.lower(), v) for k, v in response.headers.items()):
        if header == "content-security-policy":
            value = "; ".join(f"{k} {v}" for k, v in sorted(directives(value).items()))
        if header not in DROPPED:
            lines.append(f"{header}: {'*' if header in VOLATILE else value}")
    return "\n".join(lines)


@pytest.fixture
def lab(db):
    return EmbedPartner.objects.create(
        name="Lab", slug="lab", allowed_origins="https://lab.example"
    )


@pytest.fixture
def responses(client, settings, petition, lab):
    """Every kind of response, each from a fresh cache, as an anonymous reader gets it."""
    results = {}
    for name, (_status, fetch) in RESPONSES.items():
        cache.clear()
        client.cookies.clear()
        results[name] = fetch(client, settings)
        # Streamed exports must be read for their headers to be final.
        if results[name].streaming:
            b"".join(results[name].streaming_content)
    return results


def test_every_kind_of_response_carries_the_security_headers(responses):
    for name, response in responses.items():
        assert response.status_code == RESPONSES[name][0], name
        expected = dict(SECURITY_HEADERS)
        policy = dict(POLICY)
        if name in EMBEDS:
            expected["X-Frame-Options"] = None
            policy["frame-ancestors"] = EMBED_ANCESTORS
        if name in CROSS_ORIGIN:
            expected["Cross-Origin-Resource-Policy"] = "cross-origin"
        for header, value in expected.items():
            assert response.get(header) == value, f"{name}: {header}"
        assert directives(response.get("Content-Security-Policy", "")) == policy, name


def test_a_page_from_the_cache_has_the_same_headers_as_the_first(client, petition):
    first = get(client, "/initiatives/?country=be")
    second = get(client, "/initiatives/?country=be")
    assert second.content == first.content
    # Each response names its own request.
    assert first["X-Request-ID"] != second["X-Request-ID"]
    del first["X-Request-ID"], second["X-Request-ID"]
    assert dict(second.headers) == dict(first.headers)


def test_every_text_body_names_its_charset(responses):
    for name, response in responses.items():
        if response.status_code == 304:
            assert "Content-Type" not in response, name
            continue
        kind, parameters = parse_header_parameters(response["Content-Type"])
        if kind.startswith("image/"):
            continue
        assert parameters.get("charset") == "utf-8", name


def test_the_headers_match_the_committed_list(responses):
    text = "\n\n".join(described(name, response) for name, response in responses.items())
    text = f"{PREAMBLE}\n\n{text}\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text)
    assert text == GOLDEN.read_text()


def test_the_policy_allows_no_inline_code_and_no_other_site(client, petition):
    policy = get(client, "/")["Content-Security-Policy"]
    sources = directives(policy)
    assert sources["default-src"] == "'none'"
    for kind in ["script-src", "style-src", "img-src", "connect-src", "form-action"]:
        assert sources[kind] == "'self'", kind
    for kind in ["object-src", "base-uri", "frame-ancestors"]:
        assert sources[kind] == "'none'", kind
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "http" not in policy


def test_hsts_is_sent_over_https_only(client, petition):
    assert "Strict-Transport-Security" not in client.get("/")
    assert client.get("/", secure=True)["Strict-Transport-Security"].startswith("max-age=31536000")


def test_plain_http_is_redirected_to_https_when_asked(client, settings, petition):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/initiatives/?country=be")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/initiatives/?country=be"


def test_a_proxy_that_ends_tls_is_believed_only_when_configured(client, settings, petition):
    settings.SECURE_SSL_REDIRECT = True
    forwarded = {"X-Forwarded-Proto": "https"}
    assert client.get("/", headers=forwarded).status_code == 301
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/", headers=forwarded)
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


PUBLIC_PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/?country=be&sector=legal",
    "/initiatives/?year=20x0&page=last&sort=title&sort=oldest&country=zz&colour=red&q=%00",
    "/initiatives/eu-health-petition/",
    "/initiatives/no-such-initiative/",
    "/initiatives/secret-draft/",
    "/countries/",
    "/countries/be/",
    "/countries/BE/",
    "/countries/zz/",
    "/sectors/",
    "/sectors/legal/",
    "/networks/",
    "/networks/global-pro-bono-network/",
    "/facilitators/",
    "/facilitators/the-good-lobby/",
    "/initiatives/feed/",
    "/initiatives/export.csv",
    "/initiatives/export.json",
    "/sitemap.xml",
    "/robots.txt",
    "/embed/lab/",
    "/embed/lab/?country=be&theme=dark",
    "/fr/embed/lab/",
    "/embed/lab/theme.css",
    "/oembed/?url=https://testserver/embed/lab/",
]


def test_readers_get_no_cookie_on_any_public_page(client, directory, lab):
    for url in PUBLIC_PAGES:
        response = client.get(url, secure=True)
        assert response.status_code in (200, 301, 404), url
        assert "Set-Cookie" not in response.headers, url
        assert not response.cookies, url
    assert not client.cookies


def cookie_attributes(cookie):
    return {
        "secure": cookie["secure"],
        "httponly": cookie["httponly"],
        "samesite": cookie["samesite"],
        "path": cookie["path"],
        "domain": cookie["domain"],
    }


def test_staff_cookies_are_secure_host_only_out_of_scripts_reach_and_same_site(editor):
    """Also shows that the admin works with an HttpOnly CSRF cookie: the token is in the form."""
    browser = Client(enforce_csrf_checks=True)
    login = browser.get("/admin/login/", secure=True)
    expected = {"secure": True, "httponly": True, "samesite": "Lax", "path": "/", "domain": ""}
    assert list(login.cookies) == ["__Host-csrftoken"]
    assert cookie_attributes(login.cookies["__Host-csrftoken"]) == expected

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.content.decode())[1]
    form = {"username": "edith", "password": "not-used-here", "csrfmiddlewaretoken": token}
    # Over HTTPS Django also checks that the form came from this site, as browsers say.
    origin = {"Origin": "https://testserver"}
    response = browser.post("/admin/login/?next=/admin/", form, secure=True, headers=origin)
    assert response.status_code == 302
    assert cookie_attributes(response.cookies["__Host-sessionid"]) == expected
    assert browser.get("/admin/", secure=True).status_code == 200


def test_a_login_without_the_form_token_is_refused(editor):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/admin/login/", secure=True)
    form = {"username": "edith", "password": "not-used-here"}
    origin = {"Origin": "https://testserver"}
    response = browser.post("/admin/login/", form, secure=True, headers=origin)
    assert response.status_code == 403
    assert "__Host-sessionid" not in response.cookies


INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)|<style\b|\sstyle=|\son[a-z]+=", re.I
)


def test_no_template_has_inline_script_or_style():
    """The policy would block them: scripts and styles come from static/, data from data-*."""
    found = []
    for template in sorted((Path(__file__).parents[1] / "templates").rglob("*.html")):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if INLINE_CODE.search(line):
                found.append(f"{template.name}:{number}: {line.strip()}")
    assert found == []


API_ANSWERS = [
    "/api/v1/",
    "/api/v1/initiatives/?country=be",
    "/api/v1/initiatives/eu-health-petition/",
    "/api/v1/initiatives/?country=zz",
    "/api/v1/initiatives/no-such-initiative/",
    "/api/v1/schema/",
    "/api/v1/dump.json",
]
NOT_SHARED = ["/", "/initiatives/", "/fr/initiatives/", "/initiatives/export.json", "/admin/login/"]


def test_any_origin_may_read_the_api_and_nothing_else(client, directory, settings, tmp_path):
    """The API is for other sites' scripts (CORS, and a resource policy that lets them read it),
    sets no cookie and does not vary by one; the pages, exports and admin stay our own."""
    settings.DUMP_DIR = tmp_path
    origin = {"Origin": "https://partner.example"}
    for url in API_ANSWERS:
        response = client.get(url, secure=True, headers=origin)
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert response["Cross-Origin-Resource-Policy"] == "cross-origin", url
        assert not response.cookies, url
        assert "cookie" not in response.get("Vary", "").lower(), url
    for url in NOT_SHARED:
        response = client.get(url, secure=True, headers=origin)
        assert "Access-Control-Allow-Origin" not in response, url
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", url
    preflight = client.options(
        "/initiatives/", secure=True, headers={**origin, "Access-Control-Request-Method": "GET"}
    )
    assert "Access-Control-Allow-Origin" not in preflight

"""Lists for partners' sites: /embed/<partner>/, its theme, oEmbed, and who may frame them."""

import html
import json
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from networks.embed_partners import EmbedPartner, normalised_origin
from tests.conftest import notices as finder_notices
from tests.test_crawl import VNU, require_nu_checker

pytestmark = pytest.mark.django_db
EMBED = "/embed/probonolab/"


@pytest.fixture
def partner(db):
    return EmbedPartner.objects.create(
        name="Pro Bono Lab",
        slug="probonolab",
        allowed_origins="https://www.probonolab.org\nhttp://localhost:8080",
        accent_colour="#aa3300",
    )


def frame_ancestors(response):
    policy = dict(
        part.split(" ", 1) for part in response["Content-Security-Policy"].split("; ") if part
    )
    return policy["frame-ancestors"]


def embed_notices(response):
    block = re.search(r'class="embed__notice" role="status">(.*?)</div>', response.text, re.S)
    return re.findall(r"<li>(.*?)</li>", block[1]) if block else []


# The partner


@pytest.mark.parametrize(
    ("typed", "origin"),
    [
        ("https://www.probonolab.org", "https://www.probonolab.org"),
        (" HTTPS://WWW.ProBonoLab.org:443/ ", "https://www.probonolab.org"),
        ("https://probonolab.org:8443", "https://probonolab.org:8443"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://127.0.0.1", "http://127.0.0.1"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
    ],
)
def test_an_origin_is_kept_as_browsers_compare_it(typed, origin):
    assert normalised_origin(typed) == origin


@pytest.mark.parametrize(
    "typed",
    [
        "http://www.probonolab.org",  # plain HTTP, not on this machine
        "https://www.probonolab.org/partners/",
        "https://www.probonolab.org/?a=1",
        "https://www.probonolab.org/#top",
        "https://*.probonolab.org",
        "https://user:secret@probonolab.org",
        "ftp://probonolab.org",
        "javascript:alert(1)",
        "www.probonolab.org",
        "https://",
        "https://probonolab.org:99999",
        "https://probo nolab.org",
        "https://probonolab.org;script-src",
        "'self'",
    ],
)
def test_anything_but_an_origin_is_refused(typed):
    with pytest.raises(ValidationError):
        normalised_origin(typed)


def test_a_partner_is_cleaned_one_origin_a_line():
    partner = EmbedPartner(
        name="Lab",
        slug="lab",
        allowed_origins="https://A.example/\n\nhttps://a.example\nhttps://b.example:443",
        accent_colour="#AABBCC",
    )
    partner.full_clean()
    assert partner.origins == ["https://a.example", "https://b.example"]
    assert partner.accent_colour == "#aabbcc"


@pytest.mark.parametrize(
    ("origins", "colour", "field"),
    [
        ("", "#aabbcc", "allowed_origins"),
        ("https://a.example/path", "#aabbcc", "allowed_origins"),
        ("https://a.example", "red", "accent_colour"),
        ("https://a.example", "#abc", "accent_colour"),
        ("https://a.example", "#aabbcc;}", "accent_colour"),
    ],
)
def test_a_partner_with_a_wrong_origin_or_colour_is_refused(origins, colour, field):
    partner = EmbedPartner(name="Lab", slug="lab", allowed_origins=origins, accent_colour=colour)
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert field in error.value.message_dict


# The list


def test_the_list_shows_the_view_s_initiatives_with_links_to_the_directory(
    client, partner, directory
):
    response = client.get(EMBED)
    assert response.status_code == 200
    text = response.text
    assert "Petition to the EU health ministers" in text
    assert "Secret draft" not in text
    assert directory.petition.facilitator.name in text
    assert 'The Good Lobby<span aria-hidden="true"> · </span>Belgium' in text
    assert '<span aria-hidden="true"> · </span>2020</span>' in text  # the year, no dates
    assert "Listed by" in text
    assert "Pro Bono Directory" in text
    links = re.findall(r"<a [^>]*>", text)
    assert links
    assert all('target="_blank" rel="noopener"' in link for link in links)
    assert 'href="/initiatives/eu-health-petition/"' in text
    assert 'href="/initiatives/"' in text  # the whole view in the directory
    assert "style=" not in text
    assert "<script>" not in text
    assert not response.cookies


def test_the_list_takes_the_finder_s_parameters(client, partner, directory):
    response = client.get(EMBED + "?country=pt")
    assert "Petition to the EU health ministers" not in response.text
    assert 'href="/initiatives/?country=pt"' in response.text
    response = client.get(EMBED + "?sector=legal")
    assert "Petition to the EU health ministers" in response.text
    assert 'Belgium, Poland<span aria-hidden="true"> · </span>2022–2023</span>' in response.text
    assert 'href="/initiatives/?sector=legal"' in response.text


def test_another_spelling_of_a_view_is_sent_to_its_canonical_address(client, partner, directory):
    response = client.get(EMBED + "?theme=dark&country=PT")
    assert response.status_code == 301
    assert response["Location"] == EMBED + "?country=pt&theme=dark"
    assert client.get(EMBED + "?theme=light")["Location"] == EMBED


def test_bad_parameters_get_the_finder_s_notices_and_the_default_theme(client, partner, directory):
    response = client.get(EMBED + "?country=zz&colour=red&theme=neon")
    assert response.status_code == 200
    finder = client.get("/initiatives/?country=zz&colour=red")
    # What the finder says about the same link, and a word about the theme.
    assert [html.unescape(notice) for notice in embed_notices(response)] == [
        *finder_notices(finder),
        "Ignored theme “neon”, which is not valid.",
    ]
    assert '<body class="embed embed--light"' in response.text
    assert "Petition to the EU health ministers" in response.text


def test_themes_and_the_partner_s_colour(client, partner, directory):
    dark = client.get(EMBED + "?theme=dark")
    assert '<body class="embed embed--dark"' in dark.text
    assert 'href="/embed/probonolab/theme.css"' in dark.text
    css = client.get("/embed/probonolab/theme.css")
    assert css.status_code == 200
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert "--accent: #aa3300;" in css.text


def test_the_list_is_in_french_under_fr(client, partner, directory):
    response = client.get("/fr/embed/probonolab/")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.text
    assert 'href="/fr/initiatives/"' in response.text


@pytest.mark.parametrize("url", ["/embed/nobody/", "/embed/nobody/theme.css", "/fr/embed/nobody/"])
def test_an_unknown_partner_gets_404(client, partner, url):
    assert client.get(url).status_code == 404


def test_an_inactive_partner_gets_404(client, partner):
    partner.is_active = False
    partner.save()
    assert client.get(EMBED).status_code == 404
    assert client.get(EMBED + "theme.css").status_code == 404


# Framing


def test_only_the_partner_s_origins_may_frame_its_list(client, partner, directory):
    response = client.get(EMBED, secure=True)
    assert frame_ancestors(response) == "'self' https://www.probonolab.org http://localhost:8080"
    assert "X-Frame-Options" not in response
    # Kept by browsers never: a 304 would carry another policy.
    assert "no-store" in response["Cache-Control"]


def test_the_page_cache_keeps_each_partner_s_framing(client, partner, directory):
    EmbedPartner.objects.create(name="Other", slug="other", allowed_origins="https://o.example")
    for _round in range(2):  # rendered, then from the page cache
        first = client.get(EMBED, secure=True)
        other = client.get("/embed/other/", secure=True)
        assert frame_ancestors(first) == "'self' https://www.probonolab.org http://localhost:8080"
        assert frame_ancestors(other) == "'self' https://o.example"
        assert "X-Frame-Options" not in first
        assert "X-Frame-Options" not in other


def test_other_pages_and_errors_may_not_be_framed(client, partner, directory):
    for url in ["/initiatives/", "/embed/nobody/", "/oembed/?url=x", EMBED + "theme.css"]:
        response = client.get(url, secure=True)
        assert frame_ancestors(response) == "'none'", url
        assert response["X-Frame-Options"] == "DENY", url


def test_a_change_to_a_partner_reaches_its_cached_list_at_once(client, partner, directory):
    with TestCase.captureOnCommitCallbacks(execute=True):
        pass
    assert client.get(EMBED).status_code == 200
    assert client.get(EMBED).status_code == 200  # from the page cache
    with TestCase.captureOnCommitCallbacks(execute=True):
        partner.allowed_origins = "https://new.example"
        partner.save()
    assert frame_ancestors(client.get(EMBED)) == "'self' https://new.example"
    with TestCase.captureOnCommitCallbacks(execute=True):
        partner.is_active = False
        partner.save()
    assert client.get(EMBED).status_code == 404
    with TestCase.captureOnCommitCallbacks(execute=True):
        partner.delete()
    assert client.get(EMBED).status_code == 404


def test_the_loader_may_be_loaded_by_other_sites_and_other_files_may_not(settings):
    from django.test import Client

    settings.WHITENOISE_USE_FINDERS = True
    loader = Client().get("/static/js/embed.js")
    assert loader.status_code == 200
    assert loader["Cross-Origin-Resource-Policy"] == "cross-origin"
    for other in ["/static/js/embed_frame.js", "/static/css/embed.css", "/static/js/finder.js"]:
        assert Client().get(other)["Cross-Origin-Resource-Policy"] == "same-origin", other


# oEmbed


def oembed(client, **params):
    return client.get("/oembed/", params, secure=True)


def test_oembed_describes_the_list_as_a_rich_iframe(client, partner, directory):
    url = "https://testserver/embed/probonolab/?sector=legal&theme=dark"
    response = oembed(client, url=url, format="json", maxwidth="500", maxheight="900")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    assert data["provider_name"] == "Pro Bono Directory"
    assert data["provider_url"] == "https://testserver/"
    assert (data["width"], data["height"]) == (500, 480)
    assert data["title"] == "Legal initiatives"
    assert data["html"] == (
        '<iframe src="https://testserver/embed/probonolab/?sector=legal&amp;theme=dark" '
        f'title="{data["title"]}" width="500" height="480" loading="lazy"></iframe>'
    )


def test_oembed_in_french(client, partner, directory):
    url = "https://testserver/fr/embed/probonolab/?sector=legal"
    data = json.loads(oembed(client, url=url).content)
    assert 'src="https://testserver/fr/embed/probonolab/?sector=legal"' in data["html"]
    french_list = client.get("/fr/initiatives/?sector=legal").text
    assert data["title"].startswith("Initiatives ")
    assert f"<title>{data['title']} · " in french_list


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"url": "https://testserver/embed/probonolab/", "format": "xml"}, 501),
        ({"url": "https://testserver/embed/probonolab/", "format": "yaml"}, 501),
        ({}, 400),
        ({"url": "not a url"}, 400),
        ({"url": "https://[::1"}, 400),
        ({"url": "javascript:alert(1)"}, 400),
        ({"url": "https://testserver/embed/probonolab/", "maxwidth": "wide"}, 400),
        ({"url": "https://testserver/embed/probonolab/", "maxheight": "-1"}, 400),
        ({"url": "https://testserver/embed/probonolab/", "maxwidth": "0"}, 400),
        ({"url": "https://elsewhere.example/embed/probonolab/"}, 404),
        ({"url": "http://testserver/embed/probonolab/"}, 404),  # not this scheme
        ({"url": "https://testserver/embed/nobody/"}, 404),
        ({"url": "https://testserver/initiatives/"}, 404),
        ({"url": "https://testserver/no/such/page/"}, 404),
    ],
)
def test_oembed_errors(client, partner, directory, params, status):
    assert oembed(client, **params).status_code == status


def test_oembed_of_an_inactive_partner_is_404(client, partner):
    partner.is_active = False
    partner.save()
    assert oembed(client, url="https://testserver/embed/probonolab/").status_code == 404


def test_the_list_names_its_oembed_address(client, partner, directory):
    response = client.get(EMBED + "?sector=legal", secure=True)
    link = re.search(
        r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', response.text
    )
    assert link
    href = link[1].replace("&amp;", "&")
    assert href.startswith("https://testserver/oembed/?url=")
    discovered = client.get(href.removeprefix("https://testserver"), secure=True)
    assert discovered.status_code == 200
    assert "sector=legal" in json.loads(discovered.content)["html"]


# The admin's code builder


@pytest.fixture
def superuser_client(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "not-used")
    client.force_login(root)
    return client


def code_page(partner):
    return f"/admin/networks/embedpartner/{partner.pk}/embed-code/"


def test_the_admin_writes_the_snippet_for_a_view(superuser_client, partner, directory):
    view = "https://testserver/fr/initiatives/?sector=legal&country=pt"
    response = superuser_client.get(
        code_page(partner), {"view": view, "theme": "dark", "language": "fr"}
    )
    assert response.status_code == 200
    text = html.unescape(response.text)
    # The snippet's HTML, as the textarea shows it.
    assert (
        '<script src="http://testserver/static/js/embed.js" data-partner="probonolab" '
        'data-view="?sector=legal&amp;country=pt" data-theme="dark" data-lang="fr" data-title="'
    ) in text
    embed_url = "http://testserver/fr/embed/probonolab/?sector=legal&country=pt&theme=dark"
    assert f'<noscript><a href="{html.escape(embed_url)}">' in text
    assert f'<iframe class="embed-preview" src="{embed_url}"' in text
    assert "http://testserver/oembed/?url=http%3A%2F%2Ftestserver%2Ffr%2Fembed%2F" in text
    # Its preview frames the directory's own embed, and nothing else.
    policy = response["Content-Security-Policy"]
    assert "frame-src 'self'" in policy
    assert "frame-src" not in superuser_client.get("/admin/")["Content-Security-Policy"]
    # The preview is allowed to frame it.
    preview = superuser_client.get(embed_url.removeprefix("http://testserver"))
    assert frame_ancestors(preview).startswith("'self' ")


def test_the_admin_starts_with_every_initiative(superuser_client, partner):
    text = html.unescape(superuser_client.get(code_page(partner)).text)
    assert 'data-partner="probonolab" data-theme="light" data-title=' in text
    assert '<noscript><a href="http://testserver/embed/probonolab/">' in text


@pytest.mark.parametrize(
    "view",
    [
        "https://elsewhere.example/initiatives/?country=pt",
        "/initiatives/eu-health-petition/",
        "/countries/be/",
        "http://[::1/initiatives/",
    ],
)
def test_the_admin_refuses_a_view_that_is_not_the_list(superuser_client, partner, view):
    response = superuser_client.get(code_page(partner), {"view": view, "theme": "light"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    assert "<textarea" not in response.text


def test_editors_may_not_write_embed_code(editor_client, partner):
    assert editor_client.get(code_page(partner)).status_code == 403


def test_the_code_page_of_an_unknown_partner_is_404(superuser_client):
    assert superuser_client.get("/admin/networks/embedpartner/999/embed-code/").status_code == 404
    assert superuser_client.get("/admin/networks/embedpartner/x/embed-code/").status_code == 404


def test_the_admin_validates_and_normalises_a_partner(superuser_client):
    form = {
        "name": "Lab",
        "slug": "lab",
        "allowed_origins": "https://Lab.example:443/\nhttps://lab.example/partners",
        "accent_colour": "#AABBCC",
        "is_active": "on",
    }
    response = superuser_client.post("/admin/networks/embedpartner/add/", form)
    assert response.status_code == 200
    assert "must be a scheme, host and port only" in html.unescape(response.text)
    form["allowed_origins"] = "https://Lab.example:443/\nhttp://localhost:8000"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = superuser_client.post("/admin/networks/embedpartner/add/", form)
    assert response.status_code == 302
    partner = EmbedPartner.objects.get(slug="lab")
    assert partner.origins == ["https://lab.example", "http://localhost:8000"]
    assert partner.accent_colour == "#aabbcc"
    assert partner.history.count() == 1
    change = superuser_client.get(f"/admin/networks/embedpartner/{partner.pk}/change/")
    assert code_page(partner) in change.text


def test_the_list_passes_the_nu_html_checker(client, partner, directory, tmp_path):
    require_nu_checker()
    urls = [
        EMBED,
        EMBED + "?sector=legal&theme=dark",
        EMBED + "?country=pt",  # nothing to list
        EMBED + "?country=zz&theme=neon",  # notices
        "/fr" + EMBED,
    ]
    for number, url in enumerate(urls):
        (tmp_path / f"{number}.html").write_bytes(client.get(url).content)
    files = sorted(str(path) for path in tmp_path.glob("*.html"))
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert json.loads(checked.stderr)["messages"] == []

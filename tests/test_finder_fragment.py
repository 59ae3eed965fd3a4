"""The finder's fragment: the same URL, asked by static/js/finder.js, renders only the finder."""

import pytest

pytestmark = pytest.mark.django_db

FROM_SCRIPT = {"HTTP_X_REQUESTED_WITH": "finder"}


def test_it_renders_only_the_finder_when_the_script_asks(client, directory):
    response = client.get("/initiatives/?country=be", **FROM_SCRIPT)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert "<h1" not in content
    assert 'data-finder data-title="Initiatives in Belgium"' in content
    assert 'data-sentence="2 initiatives in Belgium"' in content
    assert 'id="results-summary" class="visually-hidden" aria-live="polite"' in content
    assert "Legal help desk for refugees" in content
    assert "Hackathon for Ukraine" not in content


def test_the_page_and_the_fragment_vary_on_the_header_so_caches_keep_them_apart(client, directory):
    page = client.get("/initiatives/?country=be")
    fragment = client.get("/initiatives/?country=be", **FROM_SCRIPT)

    assert "<html" in page.content.decode()
    for response in (page, fragment):
        assert "X-Requested-With" in response["Vary"]


def test_the_script_is_redirected_to_the_canonical_url_like_anyone(client, directory):
    response = client.get("/initiatives/?sector=legal&country=BE&q=&sort=", **FROM_SCRIPT)

    assert response.status_code == 301
    assert response["Location"] == "/initiatives/?country=be&sector=legal"


def test_a_scoped_page_renders_only_its_finder(client, directory):
    response = client.get("/countries/be/?sector=legal", **FROM_SCRIPT)

    content = response.content.decode()
    assert "<html" not in content
    assert 'data-sentence="2 legal initiatives in Belgium"' in content
    assert "Facilitators working in" not in content

"""The JSON API under /api/v1/: the finder's own views, strictly checked, in one envelope."""

import datetime
import json
import re
import subprocess
import urllib.parse

import hypothesis
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from hypothesis import strategies as st
from openapi_spec_validator import validate

from initiatives.filters import InitiativeFilter
from initiatives.models import Initiative
from tests.conftest import shown_slugs
from tests.test_crawl import VNU, require_nu_checker

pytestmark = pytest.mark.django_db

# Views of the finder, as its pages spell them (tests/test_feeds_exports.py has more).
VIEWS = [
    "",
    "country=be",
    "sector=legal&status=completed",
    "country=be&country=fr&crisis=covid-19",
    "network=european-pro-bono-alliance&year=2022",
    "facilitator=the-good-lobby&kind=skills-based-volunteering",
    "tag=remote&sort=title",
    "q=nurses",
    "country=pl&sort=oldest",
    "verified=12m",
]


def api(client, path, **kwargs):
    response = client.get(f"/api/v1/{path}", **kwargs)
    assert response["Content-Type"].endswith("json"), response.content[:200]
    return response, json.loads(response.content)


def ids(body):
    return [item["id"] for item in body["contents"]]


def errors(client, path):
    response, body = api(client, path)
    assert response.status_code == 400
    return {(error["parameter"], error["value"]) for error in body["errors"]}


# The initiatives: the finder's views


@pytest.mark.parametrize("query", VIEWS)
def test_each_view_lists_what_the_finder_shows_in_the_same_order(client, directory, query):
    page = client.get(f"/initiatives/?{query}")
    assert page.status_code == 200
    response, body = api(client, f"initiatives/?{query}")
    assert response.status_code == 200
    assert ids(body) == shown_slugs(page)
    assert body["total_items"] == len(shown_slugs(page))


def test_every_filter_of_the_finder_is_a_parameter_of_the_api(client, directory):
    """One FilterSet for both: a filter added to the finder is in the API, schema included."""
    _response, schema = api(client, "schema/")
    parameters = {p["name"] for p in schema["paths"]["/api/v1/initiatives/"]["get"]["parameters"]}
    assert set(InitiativeFilter.finder_filters()) | {"q", "sort", "page", "per_page"} <= parameters
    assert {"modified_after", "facets"} <= parameters


def test_an_initiative_carries_its_id_pages_in_both_languages_and_dates(client, directory):
    _response, body = api(client, "initiatives/?country=be&sort=title")
    petition = next(item for item in body["contents"] if item["id"] == "eu-health-petition")
    assert petition["url"] == {
        "en": "http://testserver/initiatives/eu-health-petition/",
        "fr": "http://testserver/fr/initiatives/eu-health-petition/",
    }
    assert petition["countries"] == ["be"]
    assert petition["sectors"] == ["legal"]
    assert petition["facilitator"] == "the-good-lobby"
    assert petition["last_verified"] == "2024-01-15"
    assert datetime.datetime.fromisoformat(petition["modified"]).tzinfo is not None
    _response, detail = api(client, "initiatives/eu-health-petition/")
    assert detail == petition


def test_the_envelope_says_where_a_page_sits(client, directory, clinics):
    _response, first = api(client, "initiatives/?per_page=10")
    assert first["total_items"] == 30
    assert (first["total_pages"], first["page_number"], first["size"]) == (3, 1, 10)
    assert (first["first_page"], first["last_page"], first["empty"]) == (True, False, False)
    _response, last = api(client, "initiatives/?per_page=10&page=3")
    assert (last["page_number"], last["size"], last["last_page"]) == (3, 10, True)
    _response, second = api(client, "initiatives/?per_page=10&page=2")
    every = ids(first) + ids(second) + ids(last)
    assert len(set(every)) == 30
    _response, none = api(client, "initiatives/?q=nothingmatchesthis")
    assert (none["total_items"], none["total_pages"], none["empty"]) == (0, 1, True)


def test_a_page_past_the_last_one_is_a_404_that_names_the_last(client, directory):
    response, body = api(client, "initiatives/?page=2")
    assert response.status_code == 404
    assert "the last page is 1" in body["detail"]


def test_facets_count_each_option_without_its_own_filter(client, directory):
    _response, body = api(client, "initiatives/?country=be&facets=sector,country")
    assert sorted(ids(body)) == ["eu-health-petition", "refugee-help-desk"]
    facets = {
        name: {option["value"]: (option["count"], option["selected"]) for option in options}
        for name, options in body["facets"].items()
    }
    # Countries ignore the country chosen: every published initiative counts.
    assert facets["country"] == {
        "be": (2, True),
        "fr": (2, False),
        "pl": (2, False),
        "us": (1, False),
    }
    # Sectors count within Belgium.
    assert facets["sector"] == {"legal": (2, False)}
    assert list(body["facets"]) == ["country", "sector"]


def test_modified_after_gives_what_changed_since(client, directory):
    long_ago = datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)
    Initiative.objects.exclude(slug="nurses-helpline").update(updated_at=long_ago)
    for value in ["2010-01-01", "2010-01-01T00:00:00Z", "2010-01-01T02:00:00+02:00"]:
        query = urllib.parse.urlencode({"modified_after": value})
        _response, body = api(client, f"initiatives/?{query}")
        assert ids(body) == ["nurses-helpline"], value
        assert body["total_items"] == 1


def test_drafts_are_nowhere(client, directory):
    """The draft is in Portugal, legal, tagged "draft-only" (tests/directory.py)."""
    draft = directory.draft
    draft.tags.add("draft-only")
    assert api(client, f"initiatives/{draft.slug}/")[0].status_code == 404
    _response, body = api(client, "initiatives/?per_page=100&facets=country,tag")
    assert draft.slug not in ids(body)
    assert "pt" not in {option["value"] for option in body["facets"]["country"]}
    _response, tags = api(client, "tags/?per_page=100")
    assert "draft-only" not in ids(tags)
    _response, countries = api(client, "countries/?per_page=100")
    assert "pt" not in ids(countries)
    assert api(client, "countries/pt/")[0].status_code == 404


# Strict: every problem named


def test_unknown_parameters_and_invalid_values_are_each_named_in_a_400(client, directory):
    query = "country=zz&sector=nope&year=1066x&sort=sideways&status=asleep&bogus=1&show=country"
    assert errors(client, f"initiatives/?{query}") == {
        ("country", "zz"),
        ("sector", "nope"),
        ("year", "1066x"),
        ("sort", "sideways"),
        ("status", "asleep"),
        ("bogus", "1"),
        ("show", "country"),
    }


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("per_page=101", ("per_page", "101")),
        ("per_page=0", ("per_page", "0")),
        ("per_page=ten", ("per_page", "ten")),
        ("page=0", ("page", "0")),
        ("page=-1", ("page", "-1")),
        ("page=%C2%B2", ("page", "²")),
        ("modified_after=yesterday", ("modified_after", "yesterday")),
        ("modified_after=2024-13-45", ("modified_after", "2024-13-45")),
        ("facets=country,colour", ("facets", "colour")),
        ("q=%E2%80%94", ("q", "—")),
    ],
)
def test_each_malformed_value_is_a_400_naming_it(client, directory, query, problem):
    assert problem in errors(client, f"initiatives/?{query}")


@pytest.mark.parametrize(
    "path",
    [
        "?format=api",
        "facilitators/?name=x",
        "networks/?sort=name",
        "sectors/?per_page=500",
        "crises/?page=x",
        "tags/?q=x",
        "countries/?country=be",
        "initiatives/eu-health-petition/?utm_source=chat",
    ],
)
def test_the_other_endpoints_refuse_what_they_do_not_take(client, directory, path):
    assert errors(client, path)


def test_unknown_ids_are_json_404s(client, directory):
    for path in [
        "initiatives/nope/",
        "facilitators/nope/",
        "networks/nope/",
        "sectors/nope/",
        "crises/nope/",
        "tags/nope/",
        "countries/zz/",
        "countries/xx/",
        # What no id is made of: PostgreSQL would refuse the NUL outright.
        "initiatives/eu-health-petition%00/",
        "facilitators/the-good-lobby%00/",
        "tags/a%20b/",
        "countries/b%C3%A9/",
    ]:
        response, body = api(client, path)
        assert response.status_code == 404, path
        assert body["detail"]


def test_the_api_only_reads(client, directory):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/initiatives/", data={})
        assert response.status_code == 405, method
        assert json.loads(response.content)["detail"]


# The other kinds of entries


def test_each_kind_of_entry_lists_and_gives_one_by_its_id(client, directory):
    expected = {
        "facilitators": ("the-good-lobby", "http://testserver/facilitators/the-good-lobby/"),
        "networks": (
            "global-pro-bono-network",
            "http://testserver/networks/global-pro-bono-network/",
        ),
        "sectors": ("legal", "http://testserver/sectors/legal/"),
        "crises": ("covid-19", "http://testserver/initiatives/?crisis=covid-19"),
        "tags": ("remote", "http://testserver/initiatives/?tag=remote"),
        "countries": ("be", "http://testserver/countries/be/"),
    }
    for kind, (id, page) in expected.items():
        response, body = api(client, f"{kind}/?per_page=100")
        assert response.status_code == 200, kind
        assert id in ids(body), kind
        assert body["total_items"] == len(body["contents"])
        _response, entry = api(client, f"{kind}/{id}/")
        assert entry["id"] == id
        assert entry["url"]["en"] == page
        assert entry["url"]["fr"] == page.replace("testserver/", "testserver/fr/")
    _response, belgium = api(client, "countries/be/")
    assert (belgium["name"], belgium["initiative_count"]) == ("Belgium", 2)


def test_facilitators_and_networks_say_when_they_were_changed_and_verified(client, directory):
    _response, lobby = api(client, "facilitators/the-good-lobby/")
    assert datetime.datetime.fromisoformat(lobby["modified"]).tzinfo is not None
    assert "last_verified" in lobby
    assert lobby["networks"] == ["global-pro-bono-network"]


def test_the_root_names_every_part(client, directory):
    _response, root = api(client, "")
    assert set(root["endpoints"]) == {
        "initiatives",
        "facilitators",
        "networks",
        "countries",
        "sectors",
        "crises",
        "tags",
    }
    for address in [*root["endpoints"].values(), root["schema"], root["documentation"]]:
        assert client.get(address).status_code == 200, address
    assert set(root["dumps"]) == {"json", "csv"}


# The schema and its documentation


def test_the_schema_is_valid_openapi_3(client, directory):
    response, schema = api(client, "schema/")
    assert response.status_code == 200
    validate(schema)
    assert schema["openapi"].startswith("3.")
    listed = schema["paths"]["/api/v1/initiatives/"]["get"]["responses"]["200"]
    envelope = listed["content"]["application/json"]["schema"]
    if "$ref" in envelope:
        envelope = schema["components"]["schemas"][envelope["$ref"].rsplit("/", 1)[1]]
    assert set(envelope["properties"]) >= {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    }


def test_the_documentation_page_passes_the_nu_html_checker(client, directory, tmp_path):
    """Our own page around Swagger UI (templates/drf_spectacular/swagger_ui.html), checked as
    tests/test_crawl.py checks every public page."""
    require_nu_checker()
    page = tmp_path / "docs.html"
    page.write_bytes(client.get("/api/v1/docs/").content)
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(checked.stderr)["messages"] == []


def test_the_documentation_page_uses_only_our_own_files(client, directory):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    sources = [urllib.parse.urlsplit(src) for src in re.findall(r'(?:src|href)="([^"]+)"', page)]
    assert len(sources) >= 3
    assert all(not source.netloc for source in sources), sources
    for source in sources:
        if source.path.startswith(settings.STATIC_URL):
            # Shipped by drf-spectacular-sidecar, installed from PyPI.
            assert finders.find(source.path.removeprefix(settings.STATIC_URL)), source.path
        else:
            script = client.get(f"{source.path}?{source.query}")
            assert script.status_code == 200
            assert "SwaggerUIBundle" in script.content.decode()


# Caching, CORS, limits


def test_responses_are_cached_with_etags_and_moved_on_by_writes(
    client, directory, django_capture_on_commit_callbacks
):
    first = client.get("/api/v1/initiatives/?country=be")
    etag = first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    again = client.get("/api/v1/initiatives/?country=be", headers={"If-None-Match": etag})
    assert again.status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        directory.petition.title = "A renamed petition"
        directory.petition.save()
    changed = client.get("/api/v1/initiatives/?country=be", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "A renamed petition" in changed.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        directory.petition.status = Initiative.Status.DRAFT
        directory.petition.save()
    _response, body = api(client, "initiatives/?country=be")
    assert ids(body) == ["refugee-help-desk"]


def test_any_origin_may_read_the_api_and_no_page(client, directory):
    origin = {"Origin": "https://partner.example"}
    response = client.get("/api/v1/initiatives/", headers=origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    preflight = client.options(
        "/api/v1/initiatives/",
        headers={**origin, "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    page = client.get("/initiatives/", headers=origin)
    assert "Access-Control-Allow-Origin" not in page
    assert page["Cross-Origin-Resource-Policy"] == "same-origin"


def test_past_the_limit_the_api_answers_429_in_json(client, directory, settings):
    settings.RATE_LIMITS = {"api": 2}
    answers = [client.get(f"/api/v1/initiatives/?per_page={n}") for n in (1, 2, 3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert int(answers[2]["Retry-After"]) > 0
    assert "requests" in json.loads(answers[2].content)["detail"]
    # Another address is not held back.
    other = client.get("/api/v1/initiatives/?per_page=4", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


NAMES = [*InitiativeFilter.finder_filters(), "q", "sort", "page", "per_page", "modified_after"]


@hypothesis.settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from([*NAMES, "facets", "show", "x"]),
            st.text(max_size=30) | st.sampled_from(["be", "legal", "2022", "12m", "0", "-1"]),
        ),
        max_size=6,
    )
)
def test_no_query_gets_a_server_error(client, directory, pairs):
    response = client.get("/api/v1/initiatives/?" + urllib.parse.urlencode(pairs))
    assert response.status_code in (200, 400, 404)
    body = json.loads(response.content)
    assert ("contents" in body) == (response.status_code == 200)


def test_only_the_documentation_page_may_show_data_images(client, directory):
    """Swagger UI draws its icons as data: URLs; no other page needs them."""
    docs = client.get("/api/v1/docs/")["Content-Security-Policy"]
    assert "img-src 'self' data:" in docs
    for path in ["/initiatives/", "/api/v1/initiatives/", "/api/v1/"]:
        assert "data:" not in client.get(path)["Content-Security-Policy"], path

"""Never a 500: every public endpoint answers any query string and any junk path with a clear
status, on SQLite and on PostgreSQL.

Query strings are built byte by byte (QUERY_STRING), so they carry what a browser would never
send: NUL bytes, control characters, stray `%` escapes, invalid UTF-8, 5 000-character values,
huge and negative numbers, and PostgreSQL's tsquery operators. FUZZ_EXAMPLES sets the number of
examples per endpoint (150 by default); the examples are derandomized, so every run of one
version of this file tries the same ones.
"""

import io
import os
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from initiatives.alerts import Alert, Subscriber
from initiatives.filters import FILTERS, SINGLE
from initiatives.models import Initiative, Sector
from networks.models import Country, EmbedPartner, Facilitator, Network
from tests.conftest import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_loaded_once")]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CLEAR_ANSWERS = {200, 301, 302, 400, 404}
TSQUERY_OPERATORS = "&|!():*<->'\"\\"
STRAY_ESCAPES = ["%", "%%", "%z", "%zz", "%0", "%00", "%0g", "%ff", "%c3%28", "%ed%a0%80", "%25"]

ENDPOINTS = {
    "home": lambda: reverse("home"),
    "initiative_list": lambda: reverse("initiative_list"),
    "feed": lambda: reverse("initiative_feed"),
    "export.csv": lambda: reverse("initiative_export", args=["csv"]),
    "export.json": lambda: reverse("initiative_export", args=["json"]),
    "country_list": lambda: reverse("country_list"),
    "country_detail": lambda: Country.objects.get(code="FR").get_absolute_url(),
    "sector_list": lambda: reverse("sector_list"),
    "sector_detail": lambda: (
        Sector.objects.filter(initiatives__isnull=False).first().get_absolute_url()
    ),
    "network_list": lambda: reverse("network_list"),
    "network_detail": lambda: Network.objects.get(
        slug="global-pro-bono-network"
    ).get_absolute_url(),
    "facilitator_list": lambda: reverse("facilitator_list"),
    "facilitator_detail": lambda: Facilitator.objects.get(slug="pro-bono-lab").get_absolute_url(),
    "initiative_detail": lambda: Initiative.objects.published().first().get_absolute_url(),
    "sitemap": lambda: reverse("sitemap"),
    "sitemap_section": lambda: reverse("sitemap_section", args=["initiatives"]),
    "robots_txt": lambda: reverse("robots_txt"),
    "report_initiative": lambda: reverse(
        "report_initiative", args=[Initiative.objects.published().first().slug]
    ),
    "propose_initiative": lambda: reverse("propose_initiative"),
    "alert_new": lambda: reverse("alert_new"),
    "embed": lambda: embed_partner().get_absolute_url(),
    "oembed": lambda: reverse("oembed"),
}


def embed_partner():
    return EmbedPartner.objects.get_or_create(
        slug="lab", defaults={"name": "Lab", "allowed_origins": "https://lab.example"}
    )[0]


def assert_on_site(location):
    assert location.startswith("/"), location
    assert location[1:2] not in ("/", "\\"), location


def valid_values():
    """Values the seed content makes meaningful, so that some examples filter for real."""
    return [
        *Sector.objects.values_list("slug", flat=True),
        *Network.objects.values_list("slug", flat=True),
        *Facilitator.objects.values_list("slug", flat=True),
        *Initiative.tags.values_list("slug", flat=True),
        *[kind.value for kind in Initiative.Kind],
        "fr",
        "BE",
        "us",
        "covid-19",
        "ongoing",
        "completed",
        "2020",
        "relevance",
        "newest",
        "oldest",
        "title",
        "2",
        "dark",
        "https://testserver/embed/lab/",
    ]


def query_strings(values):
    """Raw query strings, as the bytes a client could send, decoded as WSGI wants (latin-1)."""
    text = st.one_of(
        st.sampled_from(values),
        st.text(max_size=30),
        st.text(alphabet=TSQUERY_OPERATORS + "ab 1", max_size=30),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.sampled_from(["-1", "0", "1e309", "NaN", "inf", "0x10", "١٢", "²"]),
        st.text(min_size=1, max_size=5).map(lambda chunk: (chunk * 5000)[:5000]),
    )
    name = st.one_of(
        st.sampled_from(FILTERS + SINGLE),
        st.sampled_from(FILTERS + SINGLE).map(str.upper),
        st.text(max_size=12),
    )
    encoded = st.one_of(
        text.map(lambda value: quote(value, safe="").encode()),
        text.map(lambda value: value.encode("utf-8", "surrogatepass")),
        st.binary(max_size=12).map(lambda raw: "".join(f"%{b:02X}" for b in raw).encode()),
        st.sampled_from(STRAY_ESCAPES).map(str.encode),
    )
    pair = st.tuples(name.map(lambda n: quote(n, safe="").encode()), encoded).map(
        lambda pair: pair[0] + b"=" + pair[1]
    )
    junk = st.sampled_from([b"", b"&", b"=", b"==", b"&&", b"%", b"a=b=c", b";"])
    return st.lists(st.one_of(pair, junk), max_size=8).map(
        lambda parts: b"&".join(parts).decode("latin-1")
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_query_string_gets_a_server_error(seeded, db, endpoint):
    path = ENDPOINTS[endpoint]()
    client = Client()
    examples = 0

    @FUZZ
    @given(query_string=query_strings(valid_values()))
    def check(query_string):
        nonlocal examples
        examples += 1
        response = client.get(path, QUERY_STRING=query_string)
        body(response)
        # oEmbed may answer that a format is not implemented, as its specification says.
        clear = CLEAR_ANSWERS | ({501} if endpoint == "oembed" else set())
        assert response.status_code in clear, (path, query_string)
        if response.status_code in (301, 302):
            # A redirect goes to the canonical URL, on this site, in one hop.
            location = response["Location"]
            assert_on_site(location)
            again = client.get(location)
            body(again)
            assert again.status_code == 200, (path, query_string, location)

    check()
    print(f"{endpoint}: {examples} examples")
    assert examples >= EXAMPLES


def url_patterns(resolvers=None, prefix=""):
    """(route, name) for every URL pattern, the admin's included."""
    for pattern in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_patterns(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name, pattern


def alert_links():
    """The signed links of an alert's emails, {URL name: token}."""
    subscriber, _created = Subscriber.objects.get_or_create(email="fuzz@example.net")
    alert, _created = Alert.objects.get_or_create(
        subscriber=subscriber, query="", defaults={"frequency": "daily", "language": "en"}
    )
    return {
        "alert_confirm": alert.confirm_token("daily", "en"),
        "alert_unsubscribe": alert.unsubscribe_token,
        "alert_manage": subscriber.manage_token,
    }


def arguments(pattern, name):
    """Keyword arguments from the seed content for one pattern, or None to skip it."""
    initiative = Initiative.objects.published().first()
    by_parameter = {
        "slug": {
            "initiative_detail": initiative.slug,
            "sector_detail": "legal",
            "network_detail": "global-pro-bono-network",
            "facilitator_detail": "pro-bono-lab",
            "report_initiative": initiative.slug,
            "report_network": "global-pro-bono-network",
            "report_facilitator": "pro-bono-lab",
            "embed": embed_partner().slug,
            "embed_theme": embed_partner().slug,
            "api-initiative-detail": initiative.slug,
            "api-facilitator-detail": "pro-bono-lab",
            "api-network-detail": "global-pro-bono-network",
            "api-sector-detail": "legal",
            "api-crisis-detail": "covid-19",
            "api-tag-detail": initiative.tags.first().slug,
        }.get(name),
        "signed_value": alert_links().get(name),
        "code": "fr",
        "format": "csv",
        "object_id": str(initiative.pk),
        "app_label": "initiatives",
        "content_type_id": str(ContentType.objects.get_for_model(Initiative).pk),
        "uidb64": "MQ",
        "token": "set-password",
        "id": "1",
        "url": "initiatives/initiative/",
        "section": "initiatives",
        # The share card's page: /countries/fr/card.png.
        "page": "countries/fr/",
    }
    parameters = list(pattern.pattern.regex.groupindex)
    kwargs = {parameter: by_parameter.get(parameter) for parameter in parameters}
    return None if None in kwargs.values() else kwargs


def reversed_paths():
    """{path: name} for every pattern, in both languages, with the seed content's objects."""
    paths = {}
    for name, pattern in url_patterns():
        kwargs = arguments(pattern, name.split(":")[-1])
        if kwargs is None:
            continue
        for language in ("en", "fr"):
            with translation.override(language):
                try:
                    paths[reverse(name, kwargs=kwargs)] = name
                except NoReverseMatch:  # An admin pattern whose app_label is not "initiatives".
                    continue
    return paths


JUNK = ["\x00", "%00", "%2500", "x" * 5000, "%ff", "%", "\\", "..%2f..%2f", "\x7f"]


def junk_variants(path):
    """The path with junk appended, and with junk inside its last segment."""
    trimmed = path.rstrip("/")
    for junk in JUNK:
        yield path + junk
        if trimmed:
            yield trimmed + junk + "/"


@pytest.fixture
def dumps_built(settings, tmp_path, seeded):
    """The API's dumps of the seed content, so that their addresses answer 200."""
    settings.DUMP_DIR = tmp_path
    call_command("build_dump", stdout=io.StringIO())


@pytest.mark.parametrize("as_staff", [False, True], ids=["reader", "editor"])
def test_no_path_gets_a_server_error(seeded, db, editor, as_staff, dumps_built):
    client = Client()
    if as_staff:
        client.force_login(editor)
    paths = reversed_paths()
    public = {name for name, pattern in url_patterns() if ":" not in name}
    assert public <= set(paths.values())
    assert len([path for path, name in paths.items() if name.startswith("admin:")]) > 40
    for path, name in paths.items():
        admin = name.startswith("admin:")
        response = client.get(path)
        body(response)
        # The admin may also refuse (403: autocomplete without its parameters), not find the
        # object (404: object_id is an initiative's, whatever the model) or want a POST (405).
        # oEmbed wants the address of a list (400 without it).
        public_statuses = {400} if name == "oembed" else {200}
        assert response.status_code in ({200, 302, 403, 404, 405} if admin else public_statuses), (
            path
        )
        for variant in junk_variants(path):
            response = client.get(variant)
            body(response)
            assert response.status_code in ({301, 302, 403, 404} if admin else {301, 404}), variant
            if response.status_code in (301, 302):
                assert_on_site(response["Location"])

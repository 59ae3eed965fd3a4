"""English and French: the interface in French under /fr/, the switcher, hreflang, the catalogue."""

import datetime
import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from initiatives.models import Initiative, Sector
from networks.models import Facilitator, Network
from probono import ratelimits
from tests.conftest import sitemap_text
from tests.directory import make_initiative

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdif%]")
NBSP = "\u00a0"


def catalogue():
    with CATALOGUE.open("rb") as po:
        return read_po(po, locale="fr")


def messages():
    """(English, French) pairs, one per form, for every entry of the catalogue."""
    for message in catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # French has two forms like English: singular with singular, plural with plural.
        yield from zip(ids, strings, strict=False)


# The catalogue


def test_the_catalogue_has_no_missing_or_fuzzy_translation():
    entries = [message for message in catalogue() if message.id]
    assert len(entries) > 250
    fuzzy = [message.id for message in entries if message.fuzzy]
    missing = [
        message.id
        for message in entries
        if not all(message.string if isinstance(message.string, tuple) else [message.string])
    ]
    assert fuzzy == []
    assert missing == []


def test_every_translation_keeps_the_placeholders_of_its_english():
    """A dropped or misspelt %(name)s would break the page or lose a value at run time."""

    def placeholders(text):
        return sorted(match[0] for match in PLACEHOLDER.finditer(text))

    for english, french in messages():
        assert placeholders(french) == placeholders(english), english


def test_the_compiled_catalogue_is_the_one_of_django_po():
    compiled = io.BytesIO()
    write_mo(compiled, catalogue())
    mo = CATALOGUE.with_suffix(".mo")
    assert mo.exists(), "Run `make install` to compile the catalogue."
    assert mo.read_bytes() == compiled.getvalue(), "django.mo is stale: run `make install`."


# Every page in French, with no interface text left in English


class VisibleText(HTMLParser):
    """The French text a reader sees or hears: text nodes, and the attributes read aloud or
    previewed, but not what is marked as another language (the switcher, English content)."""

    READ = {"aria-label", "title", "alt", "placeholder", "data-copied-label", "data-sentence"}
    PREVIEWED = {"description", "og:title", "og:description", "og:site_name", "twitter:title"}
    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, language="fr"):
        super().__init__()
        self.language = language
        self.chunks = []
        self.open = [("html", False)]  # (tag, whether it or a parent is in another language)

    @property
    def skipping(self):
        tag, foreign = self.open[-1]
        return foreign or tag in ("script", "style")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        foreign = self.open[-1][1] or attrs.get("lang", self.language) != self.language
        if tag == "meta" and (attrs.get("name") or attrs.get("property")) in self.PREVIEWED:
            self.chunks.append(attrs.get("content") or "")
        if not foreign:
            self.chunks += [value for name, value in attrs.items() if name in self.READ and value]
        if tag not in self.VOID:
            self.open.append((tag, foreign))

    def handle_endtag(self, tag):
        while len(self.open) > 1 and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.chunks.append(data)


def visible_text(content, proper_names):
    parser = VisibleText()
    parser.feed(content)
    chunks = [" ".join(html.unescape(chunk).split()) for chunk in parser.chunks]
    for name in proper_names:
        chunks = [chunk.replace(name, "X") for chunk in chunks]
    return chunks


class English:
    """An English interface string as a reader would see it, its placeholders filled."""

    def __init__(self, text):
        self.has_placeholders = bool(PLACEHOLDER.search(text))
        parts = PLACEHOLDER.split(text)[::2]
        pattern = ".+?".join(re.escape(re.sub(r"\s+", " ", part)) for part in parts)
        start = r"(?<!\w)" if re.match(r"\w", text) else ""
        end = r"(?!\w)" if re.search(r"\w$", text) else ""
        self.pattern = re.compile(start + pattern + end)

    def found_in(self, chunk):
        """Plain strings anywhere in a text; strings with placeholders as a whole text, or as one
        part of a sentence built of phrases (the finder's)."""
        if not self.has_placeholders:
            return bool(self.pattern.search(chunk))
        parts = [chunk, *re.split(r",\s|\s?:\s|\s·\s", chunk)]
        return any(self.pattern.fullmatch(part.strip()) for part in parts)


def telling_messages():
    """English interface strings whose presence on a French page would show they were missed.

    Strings the same in both languages ("Hackathon", "CSV") tell nothing, nor those that some
    French translation would match, such as "%(sectors)s initiatives" ("%(count)s initiatives").
    """
    pairs = list(messages())
    french_texts = [
        " ".join(PLACEHOLDER.sub("X", re.sub(r"<[^>]+>", " ", french)).split())
        for english, french in pairs
    ]
    telling = {}
    for english, _french in pairs:
        for piece in re.split(r"<[^>]+>", english):
            if not re.search(r"[A-Za-z]{2}", piece):
                continue
            candidate = English(piece.strip())
            if not any(candidate.found_in(text) for text in french_texts):
                telling[piece.strip()] = candidate
    return telling


def left_in_english(content, telling, proper_names=()):
    return [
        (english, chunk)
        for chunk in visible_text(content, proper_names)
        for english, candidate in telling.items()
        if candidate.found_in(chunk)
    ]


@pytest.fixture
def french_directory(directory):
    """The small directory, written in French too, with every fact a page can show."""
    french = {
        directory.legal: "Juridique",
        directory.health: "Santé mentale",
        directory.tech: "Technologies civiques",
    }
    for sector, name in french.items():
        sector.name_fr = name
        sector.description_fr = f"Les initiatives du secteur {name.lower()}."
        sector.save()
    for crisis, name in [(directory.covid, "Pandémie de Covid-19"), (directory.war, "Guerre")]:
        crisis.name_fr = name
        crisis.save()
    for initiative in Initiative.objects.all():
        initiative.title_fr = f"Fiche {initiative.slug}"
        initiative.summary_fr = f"Résumé en français de {initiative.slug}."
        initiative.description_fr = "Une description en français."
        initiative.save()
    petition = Initiative.objects.get(pk=directory.petition.pk)
    petition.volunteers, petition.participants, petition.beneficiaries = 42968, 1200, 27
    petition.figures_note = "Chiffres donnés par l’organisateur."
    petition.other_organisations = "Lobby européen"
    petition.website = "https://example.org/petition"
    petition.last_verified_on = datetime.date(2020, 3, 28)
    petition.save()
    petition.partners.set([directory.lab])
    for facilitator in Facilitator.objects.all():
        facilitator.description_fr = "Une structure qui met en relation."
        facilitator.founded_year = 2010
        facilitator.save()
    Facilitator.objects.filter(pk=directory.taproot.pk).update(is_active=False, closed_year=2023)
    closed = Facilitator.objects.create(name="Lobby fermé", slug="ferme", is_active=False)
    closed.countries.set(["BE"])
    Network.objects.update(description_fr="Un réseau international.", founded_year=2008)
    # More than a page of results, and a year facet long enough to fold.
    for year in range(2001, 2022):
        make_initiative(
            f"Fiche {year}",
            f"fiche-{year}",
            started_on=datetime.date(year, 1, 1),
            title_fr=f"Fiche {year}",
            summary_fr="Un résumé en français.",
        )
    return directory


FRENCH_PAGES = [
    "/fr/",
    "/fr/initiatives/",
    "/fr/initiatives/?page=2",
    "/fr/initiatives/?country=be&country=pl&sector=legal&sector=health&network=global-pro-bono-network"
    "&facilitator=the-good-lobby&crisis=covid-19&tag=petition&kind=advocacy-campaign"
    "&status=completed&status=ongoing&year=2020&verified=12m",
    "/fr/initiatives/?network=european-pro-bono-alliance&tag=remote&q=fiche",
    "/fr/initiatives/?q=introuvable",
    "/fr/initiatives/?foo=1&page=x&year=1800&q=a&q=b",
    "/fr/initiatives/?page=99",
    "/fr/initiatives/?show=kind",
    "/fr/initiatives/eu-health-petition/",
    "/fr/initiatives/reserve-civique/",
    "/fr/initiatives/secret-draft/",
    "/fr/countries/",
    "/fr/countries/be/",
    "/fr/sectors/",
    "/fr/sectors/legal/",
    "/fr/networks/",
    "/fr/networks/global-pro-bono-network/",
    "/fr/networks/european-pro-bono-alliance/",
    "/fr/facilitators/",
    "/fr/facilitators/the-good-lobby/",
    "/fr/facilitators/taproot/",
    "/fr/facilitators/ferme/",
    "/fr/initiatives/eu-health-petition/report/",
    "/fr/facilitators/the-good-lobby/report/",
    "/fr/networks/global-pro-bono-network/report/",
    "/fr/propose/",
    "/fr/thanks/",
    "/fr/nothing-here/",
]


# Addresses: English at the root, French under /fr/


def alternates(content):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', content))


def switcher(content):
    return html.unescape(re.search(r'<a href="([^"]+)" hreflang="\w+" lang="\w+"', content)[1])


def test_the_admin_speaks_the_language_of_the_editors_browser(client, db):
    login = f"/{settings.ADMIN_PATH}login/"
    assert '<html lang="fr"' in client.get(login, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en"' in client.get(login, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in client.get(login).content.decode()


def test_an_unknown_french_address_answers_in_french(client, db):
    response = client.get("/fr/nowhere/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Page introuvable</h1>" in content
    assert switcher(content) == "/"


# Names, dates and numbers in the reader's language


def test_countries_sort_in_the_order_of_the_readers_language(client, legal):
    for code in ["AE", "DE", "BE", "FR", "ES", "US"]:
        make_initiative(f"In {code}", f"in-{code.lower()}", countries=[code])

    def listed(url):
        content = client.get(url).content.decode()
        table = content[content.index('id="country-table"') :]
        names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)
        return [html.unescape(name) for name in names]

    assert listed("/countries/") == [
        "Belgium",
        "France",
        "Germany",
        "Spain",
        "United Arab Emirates",
        "United States of America",
    ]
    assert listed("/fr/countries/") == [
        "Allemagne",
        "Belgique",
        "Émirats arabes unis",
        "Espagne",
        "États-Unis d'Amérique",
        "France",
    ]


# Feeds, exports and structured data follow the page's language


def test_the_countries_of_an_initiative_read_in_the_order_of_the_readers_language(client, db):
    make_initiative("Twin cities", "twin-cities", countries=["BE", "DE"])
    english = client.get("/initiatives/twin-cities/").content.decode()
    french = client.get("/fr/initiatives/twin-cities/").content.decode()
    assert re.search(r">Belgium</a>, <a [^>]+>Germany</a>", english)
    assert re.search(r">Allemagne</a>, <a [^>]+>Belgique</a>", french)
    french_list = client.get("/fr/initiatives/").content.decode()
    assert re.search(r">Allemagne</a>, <a [^>]+>Belgique</a>", french_list)


def test_facet_options_sort_in_french_order(client, db):
    for english, french, slug in [
        ("Training", "Formation", "training"),
        ("Education", "Éducation", "education"),
    ]:
        sector = Sector.objects.create(name=english, name_fr=french, slug=slug)
        make_initiative(f"In {slug}", f"in-{slug}", sectors=[sector])
    content = client.get("/fr/initiatives/").content.decode()
    facet = content[content.index('name="sector"') :]
    assert facet.index("Éducation") < facet.index("Formation")


@pytest.mark.usefixtures("directory_built_once_per_class")
class TestTheSmallDirectory:
    """Pages over the small directory (`directory`), some with its French (`french_directory`)."""

    def test_every_page_in_french_has_no_interface_text_left_in_english(
        self, client, french_directory, editor
    ):
        telling = telling_messages()
        assert "Narrow down" in telling
        proper_names = sorted(
            [
                *Network.objects.values_list("name", flat=True),
                *Facilitator.objects.values_list("name", flat=True),
            ],
            key=len,
            reverse=True,
        )
        templates = set()
        client.force_login(editor)  # The draft's preview, with its staff notice.
        for url in FRENCH_PAGES:
            response = client.get(url, follow=True)
            assert response.status_code in (200, 404), url
            templates |= {template.name for template in response.templates}
            content = response.content.decode()
            assert '<html lang="fr">' in content, url
            left = left_in_english(content, telling, proper_names)
            assert not left, (url, left)
        # The admin has no /fr/: it follows the browser's language.
        client.logout()
        login = client.get(f"/{settings.ADMIN_PATH}login/", HTTP_ACCEPT_LANGUAGE="fr")
        assert '<html lang="fr"' in login.content.decode()
        assert left_in_english(login.content.decode(), telling) == []
        for name in ["500.html", "503.html"]:
            with translation.override("fr"):
                content = render_to_string(name)
            templates.add(name)
            assert left_in_english(content, telling) == [], name
        with translation.override("fr"):
            limited = ratelimits.LIMITED["exports"]
            context = {"limited": limited, "limit": 10, "window": 60, "retry_after": 30}
            content = render_to_string("429.html", context, request=response.wsgi_request)
        templates.add("429.html")
        assert left_in_english(content, telling, proper_names) == [], "429.html"
        # Every public template was among those rendered: all but the admin's.
        public = {
            str(path.relative_to(settings.BASE_DIR / "templates"))
            for path in (settings.BASE_DIR / "templates").rglob("*.html")
            if path.relative_to(settings.BASE_DIR / "templates").parts[0] != "admin"
        }
        assert public - templates == set()

    def test_french_pages_carry_french_titles_and_open_graph_text(self, client, french_directory):
        content = client.get("/fr/initiatives/?country=be&sector=legal").content.decode()
        title = f"Belgique{NBSP}: initiatives du secteur juridique · Annuaire du pro bono"
        assert f"<title>{title}</title>" in content
        assert f'<meta property="og:title" content="{title}">' in content
        assert f"<h1>Belgique{NBSP}: 2 initiatives du secteur juridique</h1>" in content
        assert '<meta property="og:locale" content="fr_FR">' in content
        assert '<meta property="og:locale:alternate" content="en_GB">' in content
        detail = client.get("/fr/initiatives/eu-health-petition/").content.decode()
        assert "<title>Fiche eu-health-petition · Annuaire du pro bono</title>" in detail

    def test_the_finder_sentence_reads_as_french(self, client, french_directory):
        response = client.get(
            "/fr/initiatives/?country=be&facilitator=the-good-lobby&tag=petition&status=completed"
            "&year=2020"
        )
        sentence = (
            f"Belgique{NBSP}: 1 initiative (terminée) menée par The Good Lobby, "
            f"étiquetée «{NBSP}petition{NBSP}», active en 2020"
        )
        assert f"<h1>{sentence}</h1>" in response.content.decode()
        response = client.get("/fr/initiatives/?sector=legal&sector=tech&status=ongoing")
        assert (
            "<h1>1 initiative du secteur juridique ou technologies civiques (en cours)</h1>"
            in response.content.decode()
        )

    def test_the_switcher_keeps_the_filters_both_ways(self, client, french_directory):
        english = client.get("/initiatives/?country=be&sector=legal")
        assert switcher(english.content.decode()) == "/fr/initiatives/?country=be&sector=legal"
        french = client.get(switcher(english.content.decode()))
        assert french.status_code == 200
        assert '<html lang="fr">' in french.content.decode()
        assert switcher(french.content.decode()) == "/initiatives/?country=be&sector=legal"
        assert ">English</a>" in french.content.decode()
        assert ">Français</a>" in english.content.decode()

    def test_every_page_names_its_alternates_in_both_languages(self, client, french_directory):
        for path in ["/countries/be/?sector=legal", "/initiatives/eu-health-petition/", "/"]:
            for prefix in ["", "/fr"]:
                content = client.get(prefix + path).content.decode()
                assert alternates(content) == {
                    "en": f"http://testserver{html.escape(path)}",
                    "fr": f"http://testserver/fr{html.escape(path)}",
                    "x-default": f"http://testserver{html.escape(path)}",
                }, prefix + path

    def test_an_address_without_prefix_is_english_whatever_the_browser_prefers(
        self, client, directory
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        response = client.get("/initiatives/?country=be", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
        assert response.status_code == 200
        assert '<html lang="en">' in response.content.decode()
        assert "<h1>2 initiatives in Belgium</h1>" in response.content.decode()

    def test_a_french_link_opens_in_french_whatever_the_browser_prefers(self, client, directory):
        response = client.get("/fr/initiatives/?country=be", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert f"<h1>Belgique{NBSP}: 2 initiatives</h1>" in response.content.decode()

    def test_the_page_cache_never_serves_one_language_for_the_other(self, client, directory):
        for _ in range(2):  # The second round comes from the cache.
            assert (
                "<h1>2 initiatives in Belgium</h1>" in client.get("/countries/be/").content.decode()
            )
            french = client.get("/fr/countries/be/").content.decode()
            assert f"<h1>Belgique{NBSP}: 2 initiatives</h1>" in french
        etag = client.get("/countries/be/")["ETag"]
        assert client.get("/fr/countries/be/", HTTP_IF_NONE_MATCH=etag).status_code == 200

    @pytest.mark.parametrize(
        ("url", "location"),
        [
            (
                "/fr/initiatives/?sector=legal&country=BE",
                "/fr/initiatives/?country=be&sector=legal",
            ),
            ("/fr/countries/BE/", "/fr/countries/be/"),
            ("/fr/countries/be/?sort=newest", "/fr/countries/be/"),
        ],
    )
    def test_canonical_redirects_stay_in_french(self, client, directory, url, location):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == location

    def test_a_renamed_slug_redirects_within_french(self, client, directory):
        directory.legal.slug = "law"
        directory.legal.save()
        response = client.get("/fr/sectors/legal/?country=be")
        assert response.status_code == 301
        assert response["Location"] == "/fr/sectors/law/?country=be"

    def test_the_sitemap_lists_both_languages_with_alternates(self, client, directory):
        content = sitemap_text(client)
        locations = re.findall(r"<loc>(.*?)</loc>", content)
        assert "http://testserver/countries/be/" in locations
        assert "http://testserver/fr/countries/be/" in locations
        assert (
            '<xhtml:link rel="alternate" hreflang="fr" href="http://testserver/fr/countries/be/"/>'
            in content
        )

    def test_dates_and_numbers_read_as_french(self, client, french_directory):
        english = client.get("/initiatives/eu-health-petition/").content.decode()
        french = client.get("/fr/initiatives/eu-health-petition/").content.decode()
        assert "28 March 2020 – 30 April 2020" in english
        assert "28 mars 2020 – 30 avril 2020" in french
        assert "<dd>42,968</dd>" in english
        assert "<dd>42\u202f968</dd>" in french
        verified = '<time datetime="2020-03-28">28 mars 2020</time>'
        assert f"Faits vérifiés pour la dernière fois le {verified}" in french

    def test_the_french_feed_is_in_french(self, client, french_directory):
        content = client.get("/fr/initiatives/feed/?country=be").content.decode()
        assert 'xml:lang="fr"' in content
        assert f"<title>Belgique{NBSP}: initiatives · Annuaire du pro bono</title>" in content
        assert (
            '<link href="http://testserver/fr/initiatives/?country=be" rel="alternate"/>' in content
        )
        assert "<title>Fiche eu-health-petition</title>" in content
        english = client.get("/initiatives/feed/?country=be").content.decode()
        assert 'xml:lang="en"' in english

    def test_french_exports_keep_their_columns_and_link_to_french_pages(
        self, client, french_directory
    ):
        english = b"".join(client.get("/initiatives/export.csv?country=be").streaming_content)
        french = b"".join(client.get("/fr/initiatives/export.csv?country=be").streaming_content)
        assert english.splitlines()[0] == french.splitlines()[0]
        assert b"http://testserver/fr/initiatives/eu-health-petition/" in french
        assert b"Fiche eu-health-petition" in french

    def test_french_pages_link_french_pages_in_their_structured_data(
        self, client, french_directory
    ):
        content = client.get("/fr/initiatives/eu-health-petition/").content.decode()
        data = re.search(r'<script type="application/ld\+json">(.*?)</script>', content)[1]
        assert '"url": "http://testserver/fr/initiatives/eu-health-petition/"' in data
        assert '"name": "Belgique"' in data

"""Every public page previews with a picture of its own when shared: og:image and twitter:image
lead to a 1200×630 PNG drawn for that view, in its language, once per data version, and no
crafted address gets one drawn that is not a view's own."""

import html
import io
import re
import string
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from PIL import Image

from initiatives import card_drawing, share_cards
from probono.caching import versioned_key
from tests.directory import make_initiative

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/?country=be&crisis=covid-19",
    "/initiatives/?q=petition",
    "/initiatives/eu-health-petition/",
    "/countries/",
    "/countries/be/",
    "/sectors/",
    "/sectors/legal/",
    "/networks/",
    "/networks/global-pro-bono-network/",
    "/facilitators/",
    "/facilitators/the-good-lobby/",
    "/fr/",
    "/fr/countries/be/",
    "/fr/initiatives/eu-health-petition/",
]


def meta(response, name):
    """The content of the page's <meta property|name="name">, unescaped."""
    found = re.search(
        rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', response.content.decode()
    )
    return html.unescape(found.group(1)) if found else None


def card_address(client, page):
    return meta(client.get(page, follow=True), "og:image").removeprefix("http://testserver")


def picture(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


@pytest.fixture
def drawings():
    """The cards drawn during the test, by the text on them."""
    drawn = []
    real = share_cards.draw

    def counted(card, request):
        drawn.append(card.heading)
        return real(card, request)

    with mock.patch.object(share_cards, "draw", counted):
        yield drawn


@pytest.mark.usefixtures("directory_built_once_per_class")
class TestEveryPage:
    @pytest.mark.parametrize("page", PAGES)
    def test_it_has_a_share_card_of_1200_by_630(self, client, page):
        response = client.get(page)
        image = meta(response, "og:image")
        assert image.startswith("http://testserver/")
        assert image.endswith("card.png") or "card.png?" in image
        assert meta(response, "twitter:image") == image
        assert meta(response, "twitter:card") == "summary_large_image"
        assert meta(response, "og:image:type") == "image/png"
        assert (meta(response, "og:image:width"), meta(response, "og:image:height")) == (
            "1200",
            "630",
        )
        assert meta(response, "og:image:alt")
        drawn = picture(client.get(image.removeprefix("http://testserver")))
        assert drawn.format == "PNG"
        assert drawn.size == (1200, 630)

    def test_its_alt_text_says_what_the_card_shows(self, client):
        assert meta(client.get("/countries/be/"), "og:image:alt") == (
            "Belgium – 2 initiatives in Belgium · Pro Bono Directory"
        )
        alt = meta(client.get("/initiatives/eu-health-petition/"), "og:image:alt")
        assert alt == (
            "Advocacy campaign · Covid-19 pandemic – Petition to the EU health ministers"
            " – The Good Lobby · Belgium · 2020 · Pro Bono Directory"
        )

    def test_a_finder_view_has_the_card_of_its_filters_whatever_its_page_or_sort(self, client):
        assert card_address(client, "/initiatives/?country=be&sort=title") == (
            "/initiatives/card.png?country=be"
        )
        assert card_address(client, "/countries/be/?sector=legal&show=tag") == (
            "/countries/be/card.png?sector=legal"
        )
        assert card_address(client, "/facilitators/?page=1") == "/facilitators/card.png"

    def test_two_views_have_two_different_cards(self, client):
        country = client.get(card_address(client, "/countries/be/")).content
        everything = client.get(card_address(client, "/initiatives/?country=fr")).content
        assert country != everything

    def test_a_french_page_has_a_french_card(self, client):
        english, french = client.get("/countries/be/"), client.get("/fr/countries/be/")
        assert meta(french, "og:image") == "http://testserver/fr/countries/be/card.png"
        assert meta(french, "og:image:alt") == (
            "Belgique – Belgique\u00a0: 2 initiatives · Annuaire du pro bono"
        )
        english_card = client.get("/countries/be/card.png").content
        french_card = client.get("/fr/countries/be/card.png").content
        assert picture(client.get("/fr/countries/be/card.png")).size == (1200, 630)
        assert english_card != french_card
        assert meta(english, "og:image:alt") != meta(french, "og:image:alt")

    def test_a_draft_preview_has_no_card(self, admin_client):
        response = admin_client.get("/initiatives/secret-draft/")
        assert meta(response, "og:image") is None
        assert meta(response, "twitter:card") == "summary"
        assert Client().get("/initiatives/secret-draft/card.png").status_code == 404

    def test_it_is_drawn_once_per_view_and_data_version(self, client, drawings):
        first = client.get("/countries/be/card.png")
        key = versioned_key("share-card", "en", "testserver", "/countries/be/card.png")
        assert cache.get(key) == first.content
        # From the page cache, then (for staff, who bypass it) from the card's own key.
        assert client.get("/countries/be/card.png").content == first.content
        staff = Client()
        staff.cookies[settings.SESSION_COOKIE_NAME] = "some-session"
        assert staff.get("/countries/be/card.png").content == first.content
        assert drawings == ["2 initiatives in Belgium"]

    def test_it_is_served_like_a_page_with_an_etag(self, client):
        first = client.get("/countries/be/card.png")
        assert first["Cache-Control"] == "no-cache, public"
        again = client.get("/countries/be/card.png", headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304

    def test_head_works_and_post_does_not(self, client):
        response = client.head("/sectors/legal/card.png")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert client.post("/sectors/legal/card.png").status_code == 405


COUNTRY_CODES = [a + b for a in string.ascii_lowercase for b in string.ascii_lowercase][:500]
CRAFTED = {
    # address: where it leads, if anywhere
    "/initiatives/card.png?unknown=1": "/initiatives/card.png",
    "/initiatives/card.png?country=BE": "/initiatives/card.png?country=be",
    "/initiatives/card.png?page=2&sort=title": "/initiatives/card.png",
    "/initiatives/card.png?country=be&show=sector": "/initiatives/card.png?country=be",
    "/initiatives/card.png?" + "&".join(f"country={code}" for code in COUNTRY_CODES): None,
    "/initiatives/card.png?q=" + "petition%20" * 2000: None,
    "/countries/be/card.png?country=fr": "/countries/be/card.png",
    "/card.png?utm_source=x": "/card.png",
    "/sectors/card.png?page=3": "/sectors/card.png",
    "/countries/BE/card.png": 404,
    "/countries/zz/card.png": 404,
    "/countries/bel/card.png": 404,
    "/sectors/no-such-sector/card.png": 404,
    "/networks/no-such-network/card.png": 404,
    "/facilitators/no-such-facilitator/card.png": 404,
    "/initiatives/no-such-initiative/card.png": 404,
    "/initiatives/feed/card.png": 404,
    "/no/such/page/card.png": 404,
    "/admin/card.png": 404,
    "/fr/fr/card.png": 404,
}


@pytest.mark.usefixtures("directory_built_once_per_class")
class TestCraftedAddresses:
    def test_they_redirect_to_a_views_card_or_are_not_found(self, client, drawings):
        landed = set()
        for address, expected in CRAFTED.items():
            response = client.get(address)
            if expected == 404:
                assert response.status_code == 404, address
                continue
            assert response.status_code in (301, 302), address
            if expected:
                assert response["Location"] == expected, address
            landed.add(response["Location"])
        # Nothing is drawn for an address that is not a card's own.
        assert drawings == []
        for address in landed:
            assert client.get(address, follow=True).status_code == 200, address
        # Following the redirects draws one card per view, and no more.
        assert len(drawings) == len(landed)

    def test_the_canonical_address_of_a_long_search_is_its_shortened_search(self, client):
        response = client.get("/initiatives/card.png?q=" + "petition%20" * 2000)
        assert response.status_code == 302
        assert len(response["Location"]) < 300
        assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_that_changes_a_views_count_changes_its_card(petition):
    reader = Client()
    before = reader.get("/countries/be/card.png").content
    assert meta(reader.get("/countries/be/"), "og:image:alt").startswith("Belgium – 1 initiative")

    make_initiative("Free legal clinics", "free-legal-clinics", countries=["BE"])

    after = reader.get("/countries/be/card.png").content
    assert picture(reader.get("/countries/be/card.png")).size == (1200, 630)
    assert after != before
    assert "2 initiatives in Belgium" in meta(reader.get("/countries/be/"), "og:image:alt")


class TestDrawing:
    def test_long_text_wraps_within_its_width_and_ends_with_an_ellipsis(self):
        typeface = card_drawing.font(52, bold=True)
        text = "Förderung ça l’écoute – " * 40 + "un" + "mot" * 80
        lines = card_drawing.wrapped(text, typeface, 600, max_lines=3)
        assert len(lines) == 3
        assert all(typeface.getlength(line) <= 600 for line in lines)
        assert lines[-1].endswith("…")

    def test_a_word_wider_than_a_line_is_broken_inside_it(self):
        typeface = card_drawing.font(30)
        lines = card_drawing.wrapped("x" * 500, typeface, 400, max_lines=None)
        assert len(lines) > 1
        assert "".join(lines) == "x" * 500
        assert all(typeface.getlength(line) <= 400 for line in lines)

    def test_no_break_spaces_keep_a_count_together(self):
        typeface = card_drawing.font(60, bold=True)
        lines = card_drawing.wrapped("Belgique\u00a0: 1\u202f234 initiatives", typeface, 200, None)
        assert "1\u202f234" in lines

    @pytest.mark.parametrize("character", "éöçÇ’–…ő")
    def test_the_typeface_has_the_accents_and_punctuation_of_titles(self, character):
        typeface = card_drawing.font(40, bold=True)
        missing = typeface.getmask("\U0010fffd")
        assert bytes(typeface.getmask(character)) != bytes(missing)

    def test_a_card_with_too_much_text_is_still_1200_by_630(self):
        card = share_cards.Card(
            url="",
            eyebrow="Conseil juridique · pandémie de Covid-19 " * 5,
            heading="Des psychologues bénévoles pour le personnel soignant " * 10,
            details="Pro Bono Lab · Belgique, France, Allemagne, Autriche · 2020–2021 " * 10,
        )
        image = Image.open(io.BytesIO(card_drawing.png(card, "Annuaire du pro bono", "x" * 300)))
        assert image.size == (1200, 630)

    def test_its_colours_are_the_sites(self):
        css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
        for name in ("ink", "muted", "paper", "accent", "accent-dark", "accent-wash"):
            assert f"--colour-{name}: {card_drawing.colours()[name]};" in css

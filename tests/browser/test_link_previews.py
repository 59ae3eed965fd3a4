"""A shared page's picture, as a link preview fetches it from the running site; SCREENSHOTS=1
keeps the one of /countries/be/ for the README (docs/screenshots/share-card.png)."""

import io
import os

import pytest
from PIL import Image

from tests.browser.conftest import SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("address", ["/countries/be/", "/fr/countries/be/"])
def test_the_share_card_a_page_names_is_a_1200_by_630_png(page, seed, address):
    page.goto(address)
    card = page.locator('meta[property="og:image"]').get_attribute("content")
    assert card.endswith(f"{address}card.png")
    response = page.request.get(card)
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(response.body())).size == (1200, 630)
    if address == "/countries/be/" and os.environ.get("SCREENSHOTS") == "1":
        (SCREENSHOTS / "share-card.png").write_bytes(response.body())

"""What a card shows of an initiative, worked out in one pass for a page of them.

The language, script prefix and URLconf are read once per page rather than once per link and
name: each read goes through a context-local, and a page of 20 cards made some 550 of them.
"""

import dataclasses

from django.utils.translation import get_language

from initiatives.templatetags.translated import Translated, in_language
from networks.models import country_name
from probono.i18n import collation_key, remembered_reverse, url_context


@dataclasses.dataclass(slots=True)
class Card:
    url: str
    title: Translated
    summary: Translated
    places: list  # (name, url) of each country, in the alphabetical order of the language
    period: str
    years: str  # the period in years, for an embedded list
    lead: str  # the facilitator or network that runs it
    sectors: list  # (name as Translated, url)


def cards_for(initiatives):
    """Cards for initiatives fetched with `for_listing()`."""
    language = get_language()
    context = url_context()

    def link(viewname, arg):
        return remembered_reverse(viewname, (arg,), *context)

    return [card_for(initiative, language, link) for initiative in initiatives]


def card_for(initiative, language, link):
    places = sorted(
        (
            (country_name(country.code, language), link("country_detail", country.code.lower()))
            for country in initiative.listed_countries
        ),
        key=lambda place: collation_key(place[0]),
    )
    lead = initiative.facilitator or initiative.network
    return Card(
        url=initiative.get_absolute_url(),
        title=in_language(initiative, "title", language),
        summary=in_language(initiative, "summary", language),
        places=places,
        period=initiative.period,
        years=initiative.years,
        lead=lead.name if lead else "",
        sectors=[
            (in_language(sector, "name", language), link("sector_detail", sector.slug))
            for sector in initiative.listed_sectors
        ],
    )

import json
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from initiatives.cards import cards_for
from initiatives.filters import InitiativeFilter
from probono.i18n import collation_key

register = template.Library()

# Escaped as json_script does, so that a "</script>" inside a title cannot end the block.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """A schema.org block: data for machines, escaped so that no text can break out of it."""
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(encoded))


@register.simple_tag
def list_of(name, value):
    """The list of initiatives filtered by one value of one filter, at its canonical address:
    {% list_of "kind" initiative.kind %} -> /initiatives/?kind=hackathon."""
    spelled = InitiativeFilter.finder_filters()[name].spelled(value)
    return reverse("initiative_list") + "?" + urlencode({name: spelled})


@register.filter
def by_name(countries):
    """Countries in the alphabetical order of the reader's language."""
    return sorted(countries, key=lambda country: collation_key(country.name))


@register.filter
def as_cards(initiatives):
    """What the cards of these initiatives show (initiatives/cards.py)."""
    return cards_for(initiatives)

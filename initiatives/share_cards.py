"""Share cards: the picture a link preview shows (og:image), one per public view.

A card's address is its page's path followed by `card.png`: /countries/be/card.png,
/fr/initiatives/<slug>/card.png, /card.png for the home page. A finder view's card keeps the
view's filters and search, as its canonical address spells them, but not its page or sort, which
change nothing on the card. Any other spelling is redirected to that address, and an address
that names no public page is a 404: every card drawn is one of a view the site serves.

Cards are drawn once per view and language for the current data versions (`versioned_key`), and
served like pages (the page cache, its ETags).
"""

import copy
import dataclasses
from urllib.parse import urlsplit

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import Resolver404, resolve
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries import countries as all_countries

from initiatives import card_drawing
from initiatives.finder import Finder
from initiatives.models import Initiative, Sector
from initiatives.views import published_initiative
from networks.models import Facilitator, Network
from probono import pages
from probono.caching import versioned_key
from probono.i18n import collation_key

SUFFIX = "card.png"


@dataclasses.dataclass
class Card:
    url: str  # absolute
    heading: str
    eyebrow: str = ""
    details: str = ""
    highlight: str = ""  # the heading's start, drawn in the accent colour: a count
    width, height = card_drawing.WIDTH, card_drawing.HEIGHT

    @property
    def alt(self):
        """What the picture shows, in words."""
        shown = " – ".join(part for part in (self.eyebrow, self.heading, self.details) if part)
        return f"{shown} · {_('Pro Bono Directory')}"


def card_for(subject, request):
    """The card of a finder view, an initiative or a page's Head (None for a draft)."""
    if isinstance(subject, Finder):
        return finder_card(subject, request)
    if isinstance(subject, Initiative):
        return initiative_card(subject, request)
    return Card(
        url=request.build_absolute_uri(urlsplit(subject.url).path + SUFFIX),
        heading=subject.title,
        details=subject.description,
    )


def finder_card(finder, request):
    scope = next(iter(finder.fixed), None)
    return Card(
        url=request.build_absolute_uri(finder_card_path(finder)),
        eyebrow=finder.labels(scope)[0] if scope else _("Initiatives"),
        heading=finder.sentence,
        highlight=number_format(finder.count, force_grouping=True),
    )


def finder_card_path(finder):
    query = finder.query.querystring(page=1, sort=finder.query.default_sort, show="")
    return finder.request.path + SUFFIX + query


def initiative_card(initiative, request):
    if not initiative.is_published:
        return None  # a staff preview: its card would be a 404
    countries = sorted(initiative.listed_countries, key=lambda country: collation_key(country.name))
    details = [
        initiative.facilitator.name if initiative.facilitator else "",
        ", ".join(country.name for country in countries),
        initiative.years,
    ]
    eyebrow = [initiative.get_kind_display(), initiative.crisis.name if initiative.crisis else ""]
    return Card(
        url=request.build_absolute_uri(initiative.get_absolute_url() + SUFFIX),
        eyebrow=" · ".join(filter(None, eyebrow)),
        heading=initiative.title,
        details=" · ".join(filter(None, details)),
    )


@require_safe
def share_card(request, page):
    """The card of the page at this address less its `card.png`."""
    page_request = copy.copy(request)
    page_request.path = page_request.path_info = request.path.removesuffix(SUFFIX)
    subject = subject_of(page_request)
    card_path, permanent = canonical(subject, page_request)
    if card_path != request.get_full_path():
        return redirect(card_path, permanent=permanent)
    key = versioned_key("share-card", get_language(), request.get_host(), card_path)
    drawn = cache.get_or_set(key, lambda: draw(card_for(subject, page_request), page_request))
    return HttpResponse(drawn, content_type="image/png")


def draw(card, request):
    """The picture; its footer names the site and the page's address, less the scheme."""
    return card_drawing.png(card, _("Pro Bono Directory"), request.get_host() + request.path)


def canonical(subject, request):
    """(the card's canonical path and query, whether a redirect there is permanent)."""
    if isinstance(subject, Finder):
        # A query with notices is cleaned, not respelled: that may change with the data.
        return finder_card_path(subject), not subject.query.notices
    return request.path + SUFFIX, True


def subject_of(request):
    """What the page at `request.path` shows, as its card describes it; 404 for no page."""
    try:
        match = resolve(request.path)
    except Resolver404:
        raise Http404("No page has this card.") from None
    name, kwargs = match.url_name, match.kwargs
    if name in pages.INTRODUCTIONS:
        return pages.head(request, name)
    if name == "initiative_detail":
        return published_initiative(kwargs["slug"])
    if name == "initiative_list":
        return Finder(request)
    return Finder(request, fixed=scope_of(name, kwargs))


def scope_of(name, kwargs):
    """A scoped finder page's own dimension, as its view fixes it, if the page exists."""
    if name == "country_detail":
        code = kwargs["code"]
        if code != code.lower() or len(code) != 2 or not all_countries.alpha2(code):
            raise Http404("No such country code.")
        return {"country": code.upper()}
    models = {"sector_detail": Sector, "network_detail": Network, "facilitator_detail": Facilitator}
    if name not in models:
        raise Http404("This page has no card.")
    get_object_or_404(models[name], slug=kwargs["slug"])
    return {name.removesuffix("_detail"): kwargs["slug"]}

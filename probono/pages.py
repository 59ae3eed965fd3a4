"""What a page that is no finder view says of itself: its title, its own description and its
canonical address, for the <title>, search engines, link previews (templates/base.html) and its
share card (initiatives/share_cards.py). Finder pages say it through the finder
(includes/finder_head.html), initiatives through their own fields."""

import dataclasses

from django.utils.translation import gettext_lazy as _

# By URL name: the home page and the indexes.
INTRODUCTIONS = {
    "home": (
        _("Pro bono initiatives around the world"),
        _(
            "Who gave their professional skills for free, to whom, where and in response to "
            "which crisis: a directory of pro bono initiatives and the organisations behind them."
        ),
    ),
    "country_list": (
        _("Countries"),
        _("Every country where a published initiative ran or a facilitator works."),
    ),
    "sector_list": (
        _("Sectors"),
        _(
            "The fields in which professionals gave their skills for free, from legal aid to "
            "mental health, with their initiatives."
        ),
    ),
    "network_list": (_("Networks"), _("International coalitions of pro bono facilitators.")),
    "facilitator_list": (
        _("Facilitators"),
        _(
            "Organisations whose trade is pro bono: they connect skilled professionals with the "
            "organisations that need them."
        ),
    ),
}


@dataclasses.dataclass
class Head:
    title: str
    description: str
    url: str  # absolute, canonical


def head(request, name, query=""):
    """The head of the page named `name`, at its path with `query` (say `?page=2`), never what
    else the address carried."""
    title, description = INTRODUCTIONS[name]
    return Head(str(title), str(description), request.build_absolute_uri(request.path) + query)

from django.contrib.syndication.views import Feed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from initiatives import sentence
from initiatives.finder import Finder
from initiatives.listing import listed

FEED_SIZE = 50


class PlainTextAtom(Atom1Feed):
    """Atom whose summaries say what they are, plain text (RFC 4287 3.1.1), where Django marks
    every summary as HTML: a summary saying "P&G" would otherwise read as broken markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"]:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class InitiativeFeed(Feed):
    """The first initiatives of any filtered view, in its order: /initiatives/feed/ takes the
    finder's parameters, sort included."""

    feed_type = PlainTextAtom

    def __call__(self, request, *args, **kwargs):
        finder = Finder(request)
        # One address per feed, as per page: its self link is the one it is read at.
        if finder.redirect_url:
            return redirect(finder.redirect_url, permanent=True)
        return super().__call__(request, *args, finder=finder, **kwargs)

    def get_object(self, request, finder):
        return finder

    def title(self, finder):
        return _("%(title)s · Pro Bono Directory") % {"title": finder.title}

    def link(self, finder):
        return reverse("initiative_list") + finder.query.querystring(page=1)

    def feed_url(self, finder):
        return reverse("initiative_feed") + finder.query.querystring(page=1)

    def subtitle(self, finder):
        return _("%(view)s, as listed in the Pro Bono Directory.") % {
            "view": capfirst(sentence.describe(finder, count=None))
        }

    def author_name(self, finder):
        # RFC 4287 4.1.1: every entry has an author, its own (the lead) or the feed's.
        return _("Pro Bono Directory")

    def items(self, finder):
        return listed(finder.results.for_listing()[:FEED_SIZE])

    def item_title(self, initiative):
        return initiative.title

    def item_description(self, initiative):
        return initiative.summary

    def item_pubdate(self, initiative):
        return initiative.published_at

    def item_updateddate(self, initiative):
        return initiative.updated_at

    def item_author_name(self, initiative):
        lead = initiative.facilitator or initiative.network
        return lead.name if lead else None

    def item_categories(self, initiative):
        return [sector.name for sector in initiative.listed_sectors]

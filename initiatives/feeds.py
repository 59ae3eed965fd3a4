from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from initiatives import sentence
from initiatives.finder import Finder
from initiatives.listing import listed

FEED_SIZE = 50


class InitiativeFeed(Feed):
    """The newest initiatives of any filtered view: /initiatives/feed/ takes the finder's
    parameters."""

    feed_type = Atom1Feed

    def get_object(self, request):
        return Finder(request)

    def title(self, finder):
        return _("%(title)s · Pro Bono Directory") % {"title": finder.title}

    def link(self, finder):
        return reverse("initiative_list") + finder.query.querystring(page=1)

    def feed_url(self, finder):
        return reverse("initiative_feed") + finder.query.querystring(page=1)

    def subtitle(self, finder):
        return _("The newest published initiatives: %s.") % sentence.describe(finder, count=None)

    def items(self, finder):
        return listed(
            finder.filterset.qs.for_listing().order_by("-published_at", "-pk")[:FEED_SIZE]
        )

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

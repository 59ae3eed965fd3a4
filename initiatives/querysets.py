"""What can be asked of initiatives: the finder's filters, related work, what a page reads."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from initiatives.sources import Source
from networks.models import Membership

# A card's columns: reading any other would cost a query per card, which the query counts catch.
LISTED_FIELDS = [
    *(f"{field}_{code}" for field in ("title", "summary") for code, _name in settings.LANGUAGES),
    "slug",
    "language",
    "status",
    "started_on",
    "start_precision",
    "ended_on",
    "end_precision",
    "published_at",
    "updated_at",
    "facilitator__name",
    "facilitator__slug",
    "network__name",
    "network__slug",
]


def blank_in_every_language(field):
    """Empty in every language: django-modeltranslation's columns hold NULL or ''."""
    blank = Q()
    for code, _name in settings.LANGUAGES:
        blank &= Q(**{f"{field}_{code}__isnull": True}) | Q(**{f"{field}_{code}": ""})
    return blank


# The most recent work first: the list's default order, the home page's and related work's.
NEWEST_FIRST = [F("started_on").desc(nulls_last=True), "-pk"]


class InitiativeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

    # One method per filter of the finder (initiatives.filters), which the scoped pages call
    # too: a dimension reaches its initiatives by one SQL shape. Values as stored.

    def in_countries(self, codes):
        links = self.model.countries.through.objects.filter(country__in=codes)
        return self.filter(pk__in=links.values("initiative"))

    def in_sectors(self, sectors):
        # By id through the link table: no join on the slug.
        links = self.model.sectors.through.objects.filter(sector__in=sectors)
        return self.filter(pk__in=links.values("initiative"))

    def in_networks(self, networks):
        """Run by one of these networks itself, or led by one of their members."""
        members = Membership.objects.filter(network__in=networks).values("facilitator")
        return self.filter(Q(network__in=networks) | Q(facilitator__in=members))

    def run_by_network_itself(self, network):
        """The network's own work, without its members'."""
        return self.filter(network=network)

    def led_by_members_of(self, network):
        """Led by a member of the network, wherever it ran: its members' work, not its own."""
        members = Membership.objects.filter(network=network).values("facilitator")
        return self.filter(facilitator__in=members)

    def run_by(self, facilitators):
        """Led by one of these facilitators, or with one of them as a partner."""
        partnered = self.model.partners.through.objects.filter(facilitator__in=facilitators)
        return self.filter(
            Q(facilitator__in=facilitators) | Q(pk__in=partnered.values("initiative"))
        )

    def in_crises(self, crises):
        return self.filter(crisis__in=crises)

    def tagged(self, tags):
        tagged = self.model.tags.through.objects.filter(tag__in=tags)
        return self.filter(pk__in=tagged.values("content_object"))

    def of_kinds(self, kinds):
        return self.filter(kind__in=kinds)

    def with_status(self, statuses):
        """Ongoing: no end date, or one still to come; completed: ended before today."""
        if set(statuses) >= {"ongoing", "completed"}:
            return self
        ongoing = Q(ended_on__isnull=True) | Q(ended_on__gte=timezone.localdate())
        return self.filter(ongoing if "ongoing" in statuses else ~ongoing)

    def active_in(self, years):
        """Active during any of these years: started by its end, not ended before its start."""
        active = Q()
        for year in years:
            active |= Q(started_on__lte=datetime.date(year, 12, 31)) & (
                Q(ended_on__isnull=True) | Q(ended_on__gte=datetime.date(year, 1, 1))
            )
        return self.filter(active)

    # What an editor has still to do (the admin's "needs attention" filter).

    def missing_for_publication(self):
        """Lacking something publishing requires: a title, a summary (in either language), a
        kind, a country, a source or the date its facts were last verified."""
        countries = self.model.countries.through.objects.values("initiative")
        sources = Source.objects.values("initiative")
        return self.filter(
            blank_in_every_language("title")
            | blank_in_every_language("summary")
            | Q(kind="")
            | ~Q(pk__in=countries)
            | ~Q(pk__in=sources)
            | Q(last_verified_on__isnull=True)
        )

    def with_source_links(self, status):
        """With a source whose link the checker last found in `status` (dead, failing...)."""
        return self.filter(pk__in=Source.objects.filter(link_status=status).values("initiative"))

    def verified_since(self, day):
        """Verified on `day` or later (the finder's "verified" filter)."""
        return self.filter(last_verified_on__gte=day)

    def matching(self, text):
        """Every word of `text`, ranked on PostgreSQL (initiatives.search)."""
        from initiatives import search

        return search.apply(self, text)

    def related_to(self, initiative, size=4):
        """Up to `size` other published initiatives, as a list: those with the same lead first,
        then those sharing a sector, then a country, the most recent work first in each.

        One query per tier, each the finder's own shape for that filter with a LIMIT, which
        PostgreSQL answers from the newest-first index; a single query ranking every
        initiative that shares anything took 110 ms for a US entry at 100 000.
        """
        if initiative.facilitator_id:
            same_lead = self.filter(facilitator_id=initiative.facilitator_id)
        elif initiative.network_id:
            same_lead = self.filter(network_id=initiative.network_id)
        else:
            same_lead = self.none()
        sectors = [sector.pk for sector in initiative.listed_sectors]
        countries = [country.code for country in initiative.listed_countries]
        found = []
        for tier in (same_lead, self.in_sectors(sectors), self.in_countries(countries)):
            if len(found) == size:
                break
            others = tier.published().exclude(pk__in=[initiative.pk, *(i.pk for i in found)])
            newest = others.order_by(*NEWEST_FIRST)
            found += newest[: size - len(found)]
        return found

    def for_listing(self):
        """What a card or a feed entry shows, and nothing else; `listing.listed()` adds their
        countries and sectors."""
        return self.select_related("facilitator", "network").only(*LISTED_FIELDS)

    def for_detail(self):
        """What an initiative's page shows; `listing.listed()` adds its links."""
        return self.select_related("facilitator", "crisis", "network")

    def for_export(self):
        """An export row's own columns and foreign keys; its other relations come separately."""
        return self.without_long_texts()

    def without_long_texts(self):
        return self.select_related("facilitator", "crisis", "network").defer(
            "description",
            "search_document",
            "search_vector",
            "facilitator__description",
            "network__description",
            "crisis__description",
        )

"""What cards and an initiative's page show of an initiative's links, read in one query.

Each initiative gets `listed_countries` and `listed_sectors` (and on its own page
`listed_partners` and `listed_tags`) as plain lists, from one query of link rows for the whole
page: no related manager or Country, Sector row built per card.
"""

from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast
from taggit.models import Tag

from initiatives.models import Initiative, Sector, TaggedInitiative
from networks.models import Country, Facilitator
from probono.caching import kept_in_process, versioned_key
from probono.i18n import collation_key


def listed(initiatives, partners_and_tags=False):
    """The initiatives, as a list, with their links attached."""
    initiatives = list(initiatives)
    attach_listed_relations(initiatives, partners_and_tags)
    return initiatives


def sectors_by_id():
    """Every sector by id, in the order of their names, for the current data version: cards
    name them without a join."""
    return kept_in_process(
        versioned_key("sectors"), lambda: {sector.pk: sector for sector in Sector.objects.all()}
    )


def attach_listed_relations(initiatives, partners_and_tags=False):
    """Set each initiative's `listed_countries` and `listed_sectors`, and with
    `partners_and_tags` its `listed_partners` and `listed_tags`, from one query of their link
    rows. A country is its code and sectors come from `sectors_by_id`; partners and tags are
    built from the id, slug and name the row carries, their other fields left deferred.
    """
    by_id = {initiative.pk: initiative for initiative in initiatives}
    for initiative in initiatives:
        initiative.listed_countries, initiative.listed_sectors = [], []
        if partners_and_tags:
            initiative.listed_partners, initiative.listed_tags = [], []
    if not by_id:
        return
    links = link_rows(by_id, partners_and_tags)
    known_sectors = sectors_by_id()
    for initiative_id, kind, key, slug, name in links:
        initiative = by_id[initiative_id]
        if kind == "country":
            initiative.listed_countries.append(Country(code=key))
        elif kind == "sector":
            if sector := known_sectors.get(int(key)):  # none if created after this page began
                initiative.listed_sectors.append(sector)
        else:
            model = Facilitator if kind == "partner" else Tag
            related = loaded_in_part(model, id=int(key), slug=slug, name=name)
            getattr(initiative, f"listed_{kind}s").append(related)
    rank = {sector_id: position for position, sector_id in enumerate(known_sectors)}
    for initiative in initiatives:
        initiative.listed_sectors.sort(key=lambda sector: rank[sector.pk])
        if partners_and_tags:
            initiative.listed_partners.sort(key=lambda partner: collation_key(partner.name))
            initiative.listed_tags.sort(key=lambda tag: collation_key(tag.name))


def loaded_in_part(model, **values):
    """An instance with these fields, the others deferred, as `.only()` would load it."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(None, names, [values[name] for name in names])


def link_rows(initiative_ids, partners_and_tags):
    """(initiative id, kind, id or code, slug, name) for each country, sector, partner, tag."""

    def rows(links, initiative, kind, key, slug=None, name=None):
        return links.filter(**{f"{initiative}__in": initiative_ids}).values_list(
            initiative,
            Value(kind),
            Cast(key, models.CharField()),
            slug or Value(""),
            name or Value(""),
        )

    parts = [
        rows(Initiative.countries.through.objects, "initiative", "country", "country"),
        rows(Initiative.sectors.through.objects, "initiative", "sector", "sector"),
    ]
    if partners_and_tags:
        parts += [
            rows(
                Initiative.partners.through.objects,
                "initiative",
                "partner",
                "facilitator",
                "facilitator__slug",
                "facilitator__name",
            ),
            rows(
                TaggedInitiative.objects, "content_object", "tag", "tag", "tag__slug", "tag__name"
            ),
        ]
    return parts[0].union(*parts[1:], all=True)

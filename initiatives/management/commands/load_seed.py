import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from initiatives.models import Crisis, Initiative, Sector, Source
from networks.models import Country, Facilitator, Membership, Network

DEFAULT_PATH = settings.BASE_DIR / "fixtures" / "seed.json"


class Command(BaseCommand):
    help = (
        "Load the seed content (networks, facilitators, sectors, crises, initiatives). "
        "Rows are matched by slug, so running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)

    def handle(self, path, **options):
        try:
            seed = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            # Rows give each language's text (title_en, title_fr...); the untranslated columns
            # then hold the default language, however the command is run.
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                counts = load(seed)
        except (KeyError, LookupError, ObjectDoesNotExist, ValidationError) as error:
            raise CommandError(f"{path} is not valid seed content: {error!r}") from error
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(f"Seed content loaded: {summary}.")


def upsert(model, row, **relations):
    """Create or update one row by slug, validated as the admin would; unchanged rows stay as is."""
    obj = model.objects.filter(slug=row["slug"]).first() or model(slug=row["slug"])
    before = stored_values(obj)
    for name, value in (row | relations).items():
        setattr(obj, name, value)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    if obj._state.adding or stored_values(obj) != before:
        obj.save()
    return obj


def stored_values(obj):
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def country_codes(codes):
    codes = [code.upper() for code in codes]
    known = Country.objects.filter(code__in=codes).values_list("code", flat=True)
    unknown = set(codes) - set(known)
    if unknown:
        raise LookupError(f"unknown country codes {sorted(unknown)}")
    return codes


def load(seed):
    for row in seed["sectors"]:
        upsert(Sector, row)
    for row in seed["crises"]:
        upsert(Crisis, row)
    for row in seed["networks"]:
        upsert(Network, row)

    for row in seed["facilitators"]:
        row = dict(row)
        countries, memberships = row.pop("countries"), row.pop("memberships")
        facilitator = upsert(Facilitator, row)
        facilitator.countries.set(country_codes(countries))
        set_memberships(facilitator, memberships)

    for row in seed["initiatives"]:
        row = dict(row)
        countries, sectors = row.pop("countries"), row.pop("sectors")
        partners, tags, sources = row.pop("partners"), row.pop("tags"), row.pop("sources")
        relations = {
            "facilitator": lookup(Facilitator, row.pop("facilitator")),
            "network": lookup(Network, row.pop("network")),
            "crisis": lookup(Crisis, row.pop("crisis")),
        }
        initiative = upsert(Initiative, row, **relations)
        initiative.countries.set(country_codes(countries))
        initiative.sectors.set(Sector.objects.filter(slug__in=sectors))
        initiative.partners.set(Facilitator.objects.filter(slug__in=partners))
        initiative.tags.set(tags)
        set_sources(initiative, sources)
        if len(sectors) != initiative.sectors.count():
            raise LookupError(f"{initiative.slug}: unknown sector in {sectors}")
        if len(partners) != initiative.partners.count():
            raise LookupError(f"{initiative.slug}: unknown partner in {partners}")

    return {
        "sectors": len(seed["sectors"]),
        "crises": len(seed["crises"]),
        "networks": len(seed["networks"]),
        "facilitators": len(seed["facilitators"]),
        "initiatives": len(seed["initiatives"]),
    }


def set_sources(initiative, rows):
    """The initiative's sources as the seed lists them, the first one primary, matched by
    address; unchanged ones stay as they are, so that their history records nothing."""
    kept = []
    for order, row in enumerate(rows):
        source = initiative.sources.filter(url=row["url"]).first() or Source(
            initiative=initiative, url=row["url"]
        )
        before = stored_values(source)
        for name, value in (row | {"is_primary": order == 0, "order": order}).items():
            setattr(source, name, value)
        source.full_clean(validate_constraints=False)
        if source._state.adding or stored_values(source) != before:
            if source.is_primary:
                for former in initiative.sources.filter(is_primary=True).exclude(pk=source.pk):
                    former.is_primary = False
                    former.save()
            source.save()
        kept.append(source.pk)
    initiative.sources.exclude(pk__in=kept).delete()
    if not kept and initiative.is_published:
        raise LookupError(f"{initiative.slug}: published without a source")


def set_memberships(facilitator, rows):
    """The facilitator's memberships as the seed lists them, matched by network: one the seed
    no longer lists is removed, an unchanged one is left as it is (its history records nothing)."""
    kept = []
    for row in rows:
        row = dict(row)
        network = Network.objects.get(slug=row.pop("network"))
        membership = facilitator.memberships.filter(network=network).first() or Membership(
            facilitator=facilitator, network=network
        )
        before = stored_values(membership)
        for name, value in row.items():
            setattr(membership, name, value)
        membership.full_clean(validate_unique=False)
        if membership._state.adding or stored_values(membership) != before:
            membership.save()
        kept.append(membership.pk)
    facilitator.memberships.exclude(pk__in=kept).delete()


def lookup(model, slug):
    return model.objects.get(slug=slug) if slug else None

import random
import time
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from taggit.models import Tag

from initiatives.models import Crisis, Initiative, Sector, TaggedInitiative
from networks.models import Country, Facilitator, Membership, Network

PREFIX = "demo-"
BATCH_SIZE = 5000
WORDS = """
    access accountability advice advocacy alliance architects asylum audit awareness bank
    beneficiaries bookkeeping budget business capacity care caregivers charity children
    cities citizens civic climate clinic coaching coalition communities community consulting
    cooperative counselling court crisis data debt design designers digital disability
    displaced donors drought education elders emergency employment energy engineers
    entrepreneurs evaluation evictions experts families farmers finance food fundraising
    governance grants health homeless hospitals housing human inclusion income independent
    infrastructure justice knowledge land language law lawyers leadership learning legal
    literacy local marketing media mediation medical mentoring mentors migrants network
    nonprofit nurses online open partners patients pension planning platform policy
    practical professionals program protection public reform refugees regional relief
    remote research resilience rights rural safety sanitation schools shelter skills small
    social software strategy students support survivors sustainable teachers technical
    tenants training translation translators transparency trust volunteer volunteers water
    welfare women workers workshops young youth
""".split()
SECTORS = [
    "Legal aid", "Mental health", "Civic tech", "Education", "Health care", "Housing",
    "Employment", "Migration and asylum", "Environment and climate", "Disaster relief",
    "Human rights", "Financial inclusion", "Food security", "Water and sanitation", "Energy",
    "Agriculture", "Culture and arts", "Media and journalism", "Digital skills",
    "Entrepreneurship", "Nonprofit management", "Gender equality", "Disability inclusion",
    "Children and youth", "Older people", "Public health", "Research and science",
    "Urban planning", "Transparency and governance", "Sport and wellbeing",
]  # fmt: skip
REGIONS = ["Global", "European", "African", "Asian", "Latin American", "Nordic", "Pacific"]
SUFFIXES = ["Foundation", "Alliance", "Collective", "Trust", "Partners", "Lab", "Institute"]
CRISES = [
    ("Pandemic response", date(2020, 1, 30), date(2023, 5, 5)),
    ("Earthquake relief", date(2023, 2, 6), date(2023, 8, 31)),
    ("Displacement emergency", date(2022, 2, 24), None),
]
# The largest countries come first, so the skew looks like a real directory's.
HEAD_COUNTRIES = "US GB FR DE IN BR ES IT CA KE NG ZA MX AU NL PT PH AR BE CH".split()
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2026, 12, 31)
DRAFTS_CREATED_AT = datetime(2026, 1, 1, tzinfo=UTC)
KINDS = list(Initiative.Kind)
PRECISIONS = list(Initiative.DatePrecision)


class Command(BaseCommand):
    help = (
        "Replace the demo rows (slugs starting with 'demo-') with deterministic synthetic data, "
        "for benchmarks. The same --initiatives and --seed always give the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, initiatives, seed, **options):
        started = time.perf_counter()
        rng = random.Random(seed)
        with transaction.atomic():
            deleted = delete_demo_rows()
            self.stdout.write(f"Deleted {deleted} previous demo rows.")
            refs = create_directory(rng)
            self.stdout.write(
                f"Created {len(refs['sectors'])} sectors, {len(refs['networks'])} networks, "
                f"{len(refs['facilitators'])} facilitators, {len(refs['tags'])} tags."
            )
            for done in create_initiatives(rng, initiatives, refs):
                self.stdout.write(f"Created {done}/{initiatives} initiatives.")
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")


def delete_demo_rows():
    # Initiatives first: they protect the facilitators, networks and crises they point to.
    demo = {"slug__startswith": PREFIX}
    models = [Initiative, Tag, Facilitator, Network, Sector, Crisis]
    return sum(model.objects.filter(**demo).only("pk").delete()[0] for model in models)


def zipf(count, exponent):
    """Cumulative weights where rank r weighs 1 / r**exponent."""
    return list(accumulate(1 / rank**exponent for rank in range(1, count + 1)))


def pick(rng, items, cum_weights, count):
    """`count` distinct items drawn by weight, in the order drawn."""
    chosen = []
    while len(chosen) < count:
        for item in rng.choices(items, cum_weights=cum_weights, k=count - len(chosen)):
            if item not in chosen:
                chosen.append(item)
    return chosen


def words_between(rng, low, high):
    """Random words, joined, between `low` and `high` characters long."""
    target = rng.randint(low, high - max(map(len, WORDS)) - 1)
    chosen, size = [], -1
    while size < target:
        word = rng.choice(WORDS)
        chosen.append(word)
        size += len(word) + 1
    return " ".join(chosen)


def prose(rng, low, high):
    """Sentences of plausible vocabulary, between `low` and `high` characters long."""
    target = rng.randint(low, high)
    sentences, size = [], 0
    while size < target:
        sentence = " ".join(rng.choices(WORDS, k=rng.randint(6, 16))).capitalize() + "."
        sentences.append(sentence)
        size += len(sentence) + 1
    text = " ".join(sentences)
    if len(text) > high:
        text = text[: text.rfind(" ", 0, high)] + "."
    return text


def bulk_create(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def create_directory(rng):
    """Everything initiatives refer to: countries by rank, sectors, networks, facilitators..."""
    codes = list(Country.objects.order_by("code").values_list("code", flat=True))
    tail = [code for code in codes if code not in HEAD_COUNTRIES]
    rng.shuffle(tail)
    countries = [code for code in HEAD_COUNTRIES if code in codes] + tail
    sectors = bulk_create(
        Sector,
        [
            Sector(name=name, slug=f"{PREFIX}{slugify(name)}", description=prose(rng, 120, 280))
            for name in SECTORS
        ],
    )
    networks = bulk_create(Network, [organisation(rng, Network, i, countries) for i in range(20)])
    facilitators = bulk_create(
        Facilitator, [organisation(rng, Facilitator, i, countries) for i in range(200)]
    )
    memberships, operations = [], []
    for facilitator in facilitators:
        for network in rng.sample(networks, rng.randint(1, 3)):
            joined = rng.randint(facilitator.founded_year, 2025)
            memberships.append(
                Membership(facilitator=facilitator, network=network, joined_year=joined)
            )
        for code in pick(rng, countries, zipf(len(countries), 0.8), rng.randint(1, 4)):
            operations.append(
                Facilitator.countries.through(facilitator=facilitator, country_id=code)
            )
    bulk_create(Membership, memberships)
    bulk_create(Facilitator.countries.through, operations)
    crises = bulk_create(
        Crisis,
        [
            Crisis(name=name, slug=f"{PREFIX}{slugify(name)}", started_on=start, ended_on=end)
            for name, start, end in CRISES
        ],
    )
    tag_names = []
    while len(tag_names) < 500:
        name = PREFIX + "-".join(rng.sample(WORDS, 2))
        if name not in tag_names:
            tag_names.append(name)
    tags = bulk_create(Tag, [Tag(name=name, slug=name) for name in tag_names])
    return {
        "countries": countries,
        "sectors": [sector.pk for sector in sectors],
        "networks": [network.pk for network in networks],
        "facilitators": [facilitator.pk for facilitator in facilitators],
        "crises": [crisis.pk for crisis in crises],
        "tags": [tag.pk for tag in tags],
    }


def organisation(rng, model, number, countries):
    """A network or a facilitator with a plausible name, history and headquarters."""
    if model is Network:
        name = f"{rng.choice(REGIONS)} {rng.choice(SECTORS)} Network"
    else:
        name = f"{' '.join(rng.sample(WORDS, 2)).title()} {rng.choice(SUFFIXES)}"
    founded = rng.randint(1950, 2020)
    fields = {
        "name": name,
        "slug": f"{PREFIX}{slugify(name)}-{number}",
        "acronym": "".join(word[0] for word in name.split()).upper(),
        "description": prose(rng, 600, 2000),
        "website": f"https://{slugify(name)}.example.org/",
        "founded_year": founded,
        "headquarters_country": rng.choice(countries[:60]),
    }
    if model is Facilitator:
        fields["city"] = words_between(rng, 5, 30).title()
        if rng.random() < 0.1:
            fields["is_active"] = False
            fields["closed_year"] = rng.randint(founded, 2025)
    return model(**fields)


def create_initiatives(rng, count, refs):
    """Create initiatives and their links in batches, yielding how many are done."""
    weights = {
        "countries": zipf(len(refs["countries"]), 0.75),
        "sectors": zipf(len(refs["sectors"]), 0.5),
        "tags": zipf(len(refs["tags"]), 1.0),
    }
    for start in range(0, count, BATCH_SIZE):
        batch = [
            initiative(rng, number, refs, weights)
            for number in range(start, min(count, start + BATCH_SIZE))
        ]
        objs = bulk_create(Initiative, [obj for obj, links in batch])
        if any(obj.pk is None for obj in objs):
            ids = dict(
                Initiative.objects.filter(slug__in=[obj.slug for obj in objs]).values_list(
                    "slug", "pk"
                )
            )
            for obj in objs:
                obj.pk = ids[obj.slug]
        rows = {"countries": [], "sectors": [], "tags": [], "partners": []}
        for obj, links in batch:
            rows["countries"] += [
                Initiative.countries.through(initiative_id=obj.pk, country_id=code)
                for code in links["countries"]
            ]
            rows["sectors"] += [
                Initiative.sectors.through(initiative_id=obj.pk, sector_id=pk)
                for pk in links["sectors"]
            ]
            rows["tags"] += [
                TaggedInitiative(content_object_id=obj.pk, tag_id=pk) for pk in links["tags"]
            ]
            rows["partners"] += [
                Initiative.partners.through(initiative_id=obj.pk, facilitator_id=pk)
                for pk in links["partners"]
            ]
        bulk_create(Initiative.countries.through, rows["countries"])
        bulk_create(Initiative.sectors.through, rows["sectors"])
        bulk_create(TaggedInitiative, rows["tags"])
        bulk_create(Initiative.partners.through, rows["partners"])
        yield start + len(batch)
    # bulk_create stamps created_at and updated_at with the clock; derive them from the data.
    stamp = Coalesce(F("published_at"), DRAFTS_CREATED_AT)
    Initiative.objects.filter(slug__startswith=PREFIX).update(created_at=stamp, updated_at=stamp)


def initiative(rng, number, refs, weights):
    """One unsaved initiative and the ids it links to."""
    title = words_between(rng, 30, 90).capitalize()
    precision = rng.choices(PRECISIONS, weights=[70, 20, 10])[0]
    started = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    if precision != Initiative.DatePrecision.DAY:
        started = started.replace(
            day=1, month=1 if precision == Initiative.DatePrecision.YEAR else started.month
        )
    ended = None if rng.random() < 0.3 else started + timedelta(days=rng.randint(1, 3000))
    published = rng.random() < 0.95
    lead = rng.random()
    obj = Initiative(
        title=title,
        slug=f"{PREFIX}{number}-{slugify(title)}"[:100].rstrip("-"),
        summary=prose(rng, 120, 280),
        description=prose(rng, 600, 2000),
        kind=rng.choice(KINDS),
        facilitator_id=rng.choice(refs["facilitators"]) if lead < 0.7 else None,
        network_id=rng.choice(refs["networks"]) if 0.7 <= lead < 0.8 else None,
        other_organisations=words_between(rng, 20, 80).title() if lead >= 0.8 else "",
        crisis_id=rng.choice(refs["crises"]) if rng.random() < 0.6 else None,
        started_on=started,
        start_precision=precision,
        ended_on=ended,
        end_precision=precision if ended else Initiative.DatePrecision.DAY,
        volunteers=rng.randint(1, 5000) if rng.random() < 0.6 else None,
        participants=rng.randint(10, 20000) if rng.random() < 0.3 else None,
        beneficiaries=rng.randint(10, 100000) if rng.random() < 0.4 else None,
        website=f"https://example.org/{number}/" if rng.random() < 0.5 else "",
        source_url=f"https://example.org/sources/{number}/" if published else "",
        status=Initiative.Status.PUBLISHED if published else Initiative.Status.DRAFT,
        published_at=datetime.combine(started, datetime.min.time(), tzinfo=UTC)
        + timedelta(days=rng.randint(0, 60), seconds=rng.randrange(86400))
        if published
        else None,
    )
    links = {
        "countries": pick(rng, refs["countries"], weights["countries"], rng.randint(1, 3)),
        "sectors": pick(rng, refs["sectors"], weights["sectors"], rng.randint(1, 3)),
        "tags": pick(rng, refs["tags"], weights["tags"], rng.choice([2, 3, 3, 4])),
        "partners": rng.sample(refs["facilitators"], rng.randint(1, 2))
        if rng.random() < 0.25
        else [],
    }
    return obj, links

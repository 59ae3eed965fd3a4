import contextlib
import random
import time
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag

from initiatives import changes, search
from initiatives.models import Crisis, Initiative, Sector, Source, TaggedInitiative
from networks.models import Country, Facilitator, Membership, Network

PREFIX = "demo-"
BATCH_SIZE = 5000
WORDS = """
    access accountability advice advocacy alliance architects asylum audit awareness bank
    beneficiaries bookkeeping budget business capacity care caregivers charity children cities
    citizens civic climate clinic coaching coalition communities community consulting
    cooperative counselling court crisis data debt design designers digital disability displaced
    donors drought education elders emergency employment energy engineers entrepreneurs
    evaluation evictions experts families farmers finance food fundraising governance grants
    health homeless hospitals housing human inclusion income independent infrastructure justice
    knowledge land language law lawyers leadership learning legal literacy local marketing media
    mediation medical mentoring mentors migrants network nonprofit nurses online open partners
    patients pension planning platform policy practical professionals program protection public
    reform refugees regional relief remote research resilience rights rural safety sanitation
    schools shelter skills small social software strategy students support survivors
    sustainable teachers technical tenants training translation translators transparency trust
    volunteer volunteers water welfare women workers workshops youth
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
# The countries with the most initiatives come first, as in a real directory.
HEAD_COUNTRIES = ["US", "GB", "FR", "DE", "IN", "BR", "ES", "IT", "CA", "KE", "NG", "ZA"]
COUNTRY_SKEW = 0.75  # Zipf exponent that gives the first country some 15% of initiatives.
FIRST_DAY, DAYS = date(2000, 1, 1), (date(2026, 12, 31) - date(2000, 1, 1)).days
LONGEST_WORD = max(map(len, WORDS))
# (key in an initiative's links, through model, its initiative field, its other field)
LINKS = [
    ("countries", Initiative.countries.through, "initiative", "country"),
    ("sectors", Initiative.sectors.through, "initiative", "sector"),
    ("partners", Initiative.partners.through, "initiative", "facilitator"),
    ("tags", TaggedInitiative, "content_object", "tag"),
]


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
            self.stdout.write(f"Deleted {delete_demo_rows()} previous demo rows.")
            refs = create_directory(rng)
            self.stdout.write("Created 30 sectors, 20 networks, 200 facilitators, 500 tags.")
            with indexes_rebuilt_after():
                for done in create_initiatives(rng, initiatives, refs):
                    self.stdout.write(f"Created {done}/{initiatives} initiatives.")
            # Rows loaded by COPY send no signals.
            changes.everything_changed()
        if connection.vendor == "postgresql":
            # Rows loaded by COPY leave the planner without statistics until autovacuum runs.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")


# Built once after the load rather than entry by entry: the full-text GIN indexes (of the
# initiatives, and of the published ones' vectors, migration 0012), and the link tables' indexes
# by country, sector and tag (migration 0009).
REBUILT_INDEXES = [
    "initiative_countries_by_country",
    "initiative_sectors_by_sector",
    "tagged_initiative_by_tag",
    "initiatives_publishedsearch_vector",
]


@contextlib.contextmanager
def indexes_rebuilt_after():
    """Drop the indexes that a load updates most for its length, and build them again after
    it: one build from sorted entries costs a fraction of a hundred thousand insertions.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE (tablename = %s AND indexdef ~ ' USING gin ') OR indexname = ANY(%s)",
            [Initiative._meta.db_table, REBUILT_INDEXES],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        # Foreign keys are checked at commit; an index cannot be built with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)


def delete_demo_rows():
    links = [
        through.objects.filter(**{f"{field}__slug__startswith": PREFIX})
        for _, through, field, _ in LINKS
    ]
    # Initiatives go before what they protect: facilitators, networks and crises.
    models = [Initiative, Tag, Facilitator, Network, Sector, Crisis]
    sources = Source.objects.filter(initiative__slug__startswith=PREFIX)
    querysets = [
        *links,
        sources,
        *(model.objects.filter(slug__startswith=PREFIX) for model in models),
    ]
    return sum(queryset.only("pk").delete()[0] for queryset in querysets)


def insert(model, rows):
    """Insert dicts of column values (other columns get their defaults), without returning pks.

    COPY on PostgreSQL, else executemany: at 100 000 initiatives several times faster than
    bulk_create, and it keeps the created_at that bulk_create would overwrite with the clock.
    """
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = {field.attname: field.get_default() for field in fields}
    values = [tuple({**defaults, **row}.values()) for row in rows]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        prepared = [
            [
                field.get_db_prep_save(value, connection)
                for field, value in zip(fields, row, strict=True)
            ]
            for row in values
        ]
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)


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


def words(rng, low, high):
    """Random words, lower-case, between `low` and `high` characters long."""
    target = rng.randint(low, high - LONGEST_WORD - 1)
    chosen = [rng.choice(WORDS)]
    while len(" ".join(chosen)) < target:
        chosen.append(rng.choice(WORDS))
    return " ".join(chosen)


def prose(rng, sentences, low, high):
    """Sentences from the pool, between `low` and `high` characters long."""
    target = rng.randint(low, high)
    chosen, size = [], -1
    while size < target:
        chosen.append(rng.choice(sentences))
        size += len(chosen[-1]) + 1
    text = " ".join(chosen)
    return text if len(text) <= high else text[: text.rfind(" ", 0, high)] + "."


def create_directory(rng):
    """What initiatives refer to: ranked countries, sectors, networks, facilitators, tags..."""
    codes = list(Country.objects.order_by("code").values_list("code", flat=True))
    tail = [code for code in codes if code not in HEAD_COUNTRIES]
    rng.shuffle(tail)
    countries = [code for code in HEAD_COUNTRIES if code in codes] + tail
    # A pool of sentences makes 100 000 descriptions cheap; their words still vary.
    sentences = [
        " ".join(rng.choices(WORDS, k=rng.randint(6, 16))).capitalize() + "." for _ in range(2000)
    ]
    sectors = Sector.objects.bulk_create(
        named(Sector, name, description_en=prose(rng, sentences, 120, 280)) for name in SECTORS
    )
    networks = Network.objects.bulk_create(
        organisation(rng, Network, n, countries, sentences) for n in range(20)
    )
    facilitators = Facilitator.objects.bulk_create(
        organisation(rng, Facilitator, n, countries, sentences) for n in range(200)
    )
    Operation, weights = Facilitator.countries.through, zipf(len(countries), COUNTRY_SKEW)
    memberships, operations = [], []
    for facilitator in facilitators:
        for network in rng.sample(networks, rng.randint(1, 3)):
            joined = rng.randint(facilitator.founded_year, 2025)
            memberships.append(
                Membership(facilitator=facilitator, network=network, joined_year=joined)
            )
        for code in pick(rng, countries, weights, rng.randint(1, 4)):
            operations.append(Operation(facilitator=facilitator, country_id=code))
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    Operation.objects.bulk_create(operations, batch_size=BATCH_SIZE)
    crises = Crisis.objects.bulk_create(
        named(Crisis, name, started_on=start, ended_on=end) for name, start, end in CRISES
    )
    pairs = [f"{first}-{second}" for first in WORDS for second in WORDS if first != second]
    # Tags are named like their slug, so that no real tag has the name of a demo one.
    tags = Tag.objects.bulk_create(
        Tag(name=PREFIX + pair, slug=PREFIX + pair) for pair in rng.sample(pairs, 500)
    )
    return {
        "sentences": sentences,
        "countries": countries,
        "sectors": [sector.pk for sector in sectors],
        "networks": [network.pk for network in networks],
        "facilitators": [facilitator.pk for facilitator in facilitators],
        "crises": [crisis.pk for crisis in crises],
        "tags": [tag.pk for tag in tags],
        "names": {
            "facilitators": {facilitator.pk: facilitator.name for facilitator in facilitators},
            "tags": {tag.pk: tag.name for tag in tags},
        },
    }


def named(model, name, **fields):
    return model(name_en=name, slug=f"{PREFIX}{slugify(name)}", **fields)


def organisation(rng, model, number, countries, sentences):
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
        "description_en": prose(rng, sentences, 600, 2000),
        "website": f"https://{slugify(name)}.example.org/",
        "founded_year": founded,
        "headquarters_country": rng.choice(countries[:60]),
    }
    if model is Facilitator:
        fields["city"] = words(rng, 5, 30).title()
        if rng.random() < 0.1:
            fields |= {"is_active": False, "closed_year": rng.randint(founded, 2025)}
    return model(**fields)


def create_initiatives(rng, count, refs):
    """Insert initiatives and their links in batches, yielding how many are done."""
    weights = {
        "countries": zipf(len(refs["countries"]), COUNTRY_SKEW),
        "sectors": zipf(len(refs["sectors"]), 0.5),
        "tags": zipf(len(refs["tags"]), 1.0),
    }
    for start in range(0, count, BATCH_SIZE):
        numbers = range(start, min(count, start + BATCH_SIZE))
        batch = [initiative(rng, number, refs, weights) for number in numbers]
        insert(Initiative, [row for row, links in batch])
        slugs = [row["slug"] for row, links in batch]
        ids = dict(Initiative.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        for key, through, field, other in LINKS:
            rows = [
                {f"{field}_id": ids[row["slug"]], f"{other}_id": value}
                for row, links in batch
                for value in links[key]
            ]
            insert(through, rows)
        insert(
            Source,
            [
                {
                    "initiative_id": ids[row["slug"]],
                    "url": url,
                    "accessed_on": (row["published_at"] or row["created_at"]).date(),
                    "is_primary": True,
                }
                for row, links in batch
                for url in links["sources"]
            ],
        )
        yield numbers.stop


def initiative(rng, number, refs, weights):
    """The column values of one initiative, and what it links to."""
    title = words(rng, 30, 90)
    precision = rng.choices(Initiative.DatePrecision.values, cum_weights=[70, 90, 100])[0]
    started = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    if precision != "day":
        started = started.replace(day=1, month=1 if precision == "year" else started.month)
    ended = None if rng.random() < 0.3 else started + timedelta(days=rng.randint(1, 3000))
    created = datetime(started.year, started.month, started.day, tzinfo=timezone.utc) + timedelta(
        days=rng.randint(0, 365), seconds=rng.randrange(86400)
    )
    published = created + timedelta(hours=rng.randint(1, 720)) if rng.random() < 0.95 else None
    lead = rng.random()
    row = {
        "title_en": title.capitalize(),
        "slug": f"{PREFIX}{number}-{title.replace(' ', '-')}"[:100].rstrip("-"),
        "summary_en": prose(rng, refs["sentences"], 120, 280),
        "description_en": prose(rng, refs["sentences"], 600, 2000),
        "kind": rng.choice(Initiative.Kind.values),
        "facilitator_id": rng.choice(refs["facilitators"]) if lead < 0.7 else None,
        "network_id": rng.choice(refs["networks"]) if 0.7 <= lead < 0.8 else None,
        "other_organisations": words(rng, 20, 80).title() if lead >= 0.8 else "",
        "crisis_id": rng.choice(refs["crises"]) if rng.random() < 0.6 else None,
        "started_on": started,
        "start_precision": precision,
        "ended_on": ended,
        "end_precision": precision if ended else "day",
        "volunteers": rng.randint(1, 5000) if rng.random() < 0.6 else None,
        "participants": rng.randint(10, 20000) if rng.random() < 0.3 else None,
        "beneficiaries": rng.randint(10, 100000) if rng.random() < 0.4 else None,
        "website": f"https://example.org/initiatives/{number}/" if rng.random() < 0.5 else "",
        "last_verified_on": (published or created).date() if rng.random() < 0.5 else None,
        "status": "published" if published else "draft",
        "published_at": published,
        "created_at": created,
        "updated_at": published or created,
    }
    # Demo rows are English only: French pages show them marked as such. Of the untranslated
    # columns only the title is read as it is (the title sort); the others would be dead weight.
    row |= {"title": row["title_en"], "title_fr": "", "summary_fr": "", "description_fr": ""}
    partners = rng.choices([0, 1, 2], weights=[75, 15, 10])[0]
    links = {
        "countries": pick(rng, refs["countries"], weights["countries"], rng.randint(1, 3)),
        "sectors": pick(rng, refs["sectors"], weights["sectors"], rng.randint(1, 3)),
        "tags": pick(rng, refs["tags"], weights["tags"], rng.choice([2, 3, 3, 4])),
        # A published initiative has its source, as the admin asks.
        "sources": [f"https://example.org/sources/{number}/"] if published else [],
        # A lead is never its own partner, so facet counts add up.
        "partners": [
            pk for pk in rng.sample(refs["facilitators"], partners) if pk != row["facilitator_id"]
        ],
    }
    names = refs["names"]
    row["search_document"] = search.document(
        row["title_en"],
        row["title_fr"],
        search.lines(row["summary_en"], row["description_en"]),
        search.lines(row["summary_fr"], row["description_fr"]),
        search.lines(
            " ".join(names["tags"][pk] for pk in links["tags"]),
            names["facilitators"].get(row["facilitator_id"], ""),
            row["other_organisations"],
        ),
    )
    return row, links

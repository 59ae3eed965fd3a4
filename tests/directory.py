"""The data tests build: a small directory counted by hand (`build_directory`), the pieces it is
made of, and more initiatives on top. conftest.py turns them into fixtures."""

import datetime
import types

from initiatives.models import Crisis, Initiative, Sector, Source
from networks.models import Facilitator, Membership, Network


def make_initiative(
    title,
    slug,
    *,
    countries=("BE",),
    sectors=(),
    tags=(),
    sources=("https://example.org/source",),
    **fields,
):
    """An initiative, published unless told otherwise; its first source is the primary one."""
    fields.setdefault("summary", f"Summary of {title}.")
    fields.setdefault("kind", Initiative.Kind.ADVOCACY_CAMPAIGN)
    fields.setdefault("status", Initiative.Status.PUBLISHED)
    fields.setdefault("last_verified_on", datetime.date(2024, 1, 15))
    initiative = Initiative.objects.create(title=title, slug=slug, **fields)
    initiative.countries.set(countries)
    initiative.sectors.set(sectors)
    initiative.tags.set(tags)
    for order, url in enumerate(sources):
        Source.objects.create(
            initiative=initiative,
            url=url,
            accessed_on=datetime.date(2024, 1, 15),
            is_primary=order == 0,
            order=order,
        )
    return initiative


def create_legal():
    return Sector.objects.create(name="Legal", slug="legal")


def create_covid():
    return Crisis.objects.create(
        name="Covid-19 pandemic", slug="covid-19", started_on=datetime.date(2020, 1, 30)
    )


def create_network():
    return Network.objects.create(name="Global Pro Bono Network", slug="global-pro-bono-network")


def create_facilitator(network):
    facilitator = Facilitator.objects.create(
        name="The Good Lobby", slug="the-good-lobby", headquarters_country="BE", city="Brussels"
    )
    facilitator.countries.set(["BE", "IT"])
    Membership.objects.create(facilitator=facilitator, network=network, joined_year=2018)
    return facilitator


def create_petition(facilitator, legal, covid):
    return make_initiative(
        "Petition to the EU health ministers",
        "eu-health-petition",
        facilitator=facilitator,
        crisis=covid,
        sectors=[legal],
        tags=["petition"],
        started_on=datetime.date(2020, 3, 28),
        ended_on=datetime.date(2020, 4, 30),
    )


def create_draft(facilitator, legal, covid):
    return make_initiative(
        "Secret draft about Portugal",
        "secret-draft",
        facilitator=facilitator,
        crisis=covid,
        sectors=[legal],
        countries=["PT"],
        status=Initiative.Status.DRAFT,
    )


def build_directory(petition, draft, facilitator, network, legal, covid):
    """A small directory for the finder, counted by hand in the finder tests.

    slug                lead                  countries  sectors     crisis  dates
    eu-health-petition  The Good Lobby        BE         legal       covid   2020-03-28..2020-04-30
    reserve-civique     Pro Bono Lab (+TGL)   FR         tech        covid   2020-03-20..ongoing
    refugee-help-desk   European network      BE PL      legal       war     2022-03-01..2023-06-30
    nurses-helpline     Taproot               US         health      covid   2021-01-10..ongoing
    ukraine-hackathon   Pro Bono Lab          FR PL      legal tech  war     2022-03-15..2022-03-17
    secret-draft        (a draft: not shown)  PT         legal       covid

    The Good Lobby (TGL) partners in the Réserve. It and Pro Bono Lab belong to the Global Pro
    Bono Network; Taproot to the European Pro Bono Alliance, which runs the help desk itself.
    """
    health = Sector.objects.create(name="Mental health", slug="health")
    tech = Sector.objects.create(name="Civic tech", slug="tech")
    war = Crisis.objects.create(
        name="War in Ukraine", slug="war-in-ukraine", started_on=datetime.date(2022, 2, 24)
    )
    european = Network.objects.create(
        name="European Pro Bono Alliance", slug="european-pro-bono-alliance"
    )
    lab = Facilitator.objects.create(name="Pro Bono Lab", slug="pro-bono-lab")
    Membership.objects.create(facilitator=lab, network=network)
    taproot = Facilitator.objects.create(name="Taproot Foundation", slug="taproot")
    Membership.objects.create(facilitator=taproot, network=european)
    reserve = make_initiative(
        "Réserve Civique numérique",
        "reserve-civique",
        summary="Volunteers lend their skills to associations during lockdown.",
        facilitator=lab,
        crisis=covid,
        kind=Initiative.Kind.SKILLS_BASED_VOLUNTEERING,
        countries=["FR"],
        sectors=[tech],
        tags=["volunteering", "remote"],
        started_on=datetime.date(2020, 3, 20),
    )
    reserve.partners.set([facilitator])
    help_desk = make_initiative(
        "Legal help desk for refugees",
        "refugee-help-desk",
        summary="A volunteer lawyer answers questions from people fleeing the war.",
        network=european,
        crisis=war,
        kind=Initiative.Kind.LEGAL_ADVICE,
        countries=["BE", "PL"],
        sectors=[legal],
        tags=["refugees"],
        started_on=datetime.date(2022, 3, 1),
        ended_on=datetime.date(2023, 6, 30),
    )
    helpline = make_initiative(
        "Helpline for nurses",
        "nurses-helpline",
        summary="Counsellors listen to nurses after long shifts.",
        facilitator=taproot,
        crisis=covid,
        kind=Initiative.Kind.PSYCHOLOGICAL_SUPPORT,
        countries=["US"],
        sectors=[health],
        tags=["nurses", "remote"],
        started_on=datetime.date(2021, 1, 10),
    )
    hackathon = make_initiative(
        "Hackathon for Ukraine",
        "ukraine-hackathon",
        summary="Developers build tools for refugee support, with nurses and doctors.",
        facilitator=lab,
        crisis=war,
        kind=Initiative.Kind.HACKATHON,
        countries=["FR", "PL"],
        sectors=[legal, tech],
        tags=["hackathon"],
        started_on=datetime.date(2022, 3, 15),
        ended_on=datetime.date(2022, 3, 17),
    )
    return types.SimpleNamespace(
        petition=petition,
        reserve=reserve,
        help_desk=help_desk,
        helpline=helpline,
        hackathon=hackathon,
        draft=draft,
        good_lobby=facilitator,
        lab=lab,
        taproot=taproot,
        global_network=network,
        european=european,
        legal=legal,
        health=health,
        tech=tech,
        covid=covid,
        war=war,
    )


def create_clinics(legal):
    """25 more Belgian legal initiatives, enough for two pages."""
    for number in range(25):
        make_initiative(
            f"Legal clinic {number:02}",
            f"legal-clinic-{number:02}",
            sectors=[legal],
            started_on=datetime.date(2019, 1, 1) + datetime.timedelta(days=number),
        )

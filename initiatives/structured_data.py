"""schema.org descriptions of detail pages, for search engines and link previews.

An initiative is a schema.org Project, a kind of Organization: it is run by its facilitator or
network (parentOrganization), lasts from foundingDate to dissolutionDate, its sources are
CreativeWorks about it (subjectOf), and its participants figure is an InteractionCounter named
by its unit (interactionStatistic). Project has no startDate, organizer or citation (a property
of CreativeWork only).
"""


def organisation(facilitator, request):
    data = {
        "@type": "NGO",
        "name": facilitator.name,
        "url": request.build_absolute_uri(facilitator.get_absolute_url()),
    }
    if facilitator.website:
        data["sameAs"] = facilitator.website
    return data


def for_facilitator(facilitator, request):
    data = {"@context": "https://schema.org", **organisation(facilitator, request)}
    data["description"] = facilitator.description
    if facilitator.founded_year:
        data["foundingDate"] = str(facilitator.founded_year)
    if facilitator.closed_year:
        data["dissolutionDate"] = str(facilitator.closed_year)
    if facilitator.headquarters_country:
        data["address"] = {
            "@type": "PostalAddress",
            "addressCountry": facilitator.headquarters_country.code,
            **({"addressLocality": facilitator.city} if facilitator.city else {}),
        }
    data["memberOf"] = [
        {
            "@type": "Organization",
            "name": membership.network.name,
            "url": request.build_absolute_uri(membership.network.get_absolute_url()),
        }
        for membership in facilitator.memberships.all()
    ]
    return data


def for_initiative(initiative, request):
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "name": initiative.title,
        "description": initiative.summary,
        "url": request.build_absolute_uri(initiative.get_absolute_url()),
        "areaServed": [
            {"@type": "Country", "name": str(country.name), "identifier": country.code}
            for country in initiative.listed_countries
        ],
        # The page's language first (sectors and kind are translated), then the tags as typed.
        "keywords": [
            *(str(sector.name) for sector in initiative.listed_sectors),
            str(initiative.get_kind_display()),
            *(tag.name for tag in initiative.listed_tags),
        ],
    }
    if initiative.facilitator:
        data["parentOrganization"] = organisation(initiative.facilitator, request)
    elif initiative.network:
        data["parentOrganization"] = {
            "@type": "Organization",
            "name": initiative.network.name,
            "url": request.build_absolute_uri(initiative.network.get_absolute_url()),
        }
    if initiative.started_on:
        data["foundingDate"] = initiative.started_on.isoformat()
    if initiative.ended_on:
        data["dissolutionDate"] = initiative.ended_on.isoformat()
    if initiative.listed_sources:
        data["subjectOf"] = [creative_work(source) for source in initiative.listed_sources]
    if initiative.participants is not None:
        data["interactionStatistic"] = interaction_counter(initiative)
    return data


def creative_work(source):
    data = {"@type": "CreativeWork", "name": str(source), "url": source.url}
    if source.publisher:
        data["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published_on:
        data["datePublished"] = source.published_on.isoformat()
    return data


# The schema.org action each unit counts, where one says it exactly.
INTERACTION_TYPES = {
    "signatures": "EndorseAction",
    "registrations": "RegisterAction",
    "members": "JoinAction",
    "organisations": "JoinAction",
}


def interaction_counter(initiative):
    """ "10,000 signatures" as schema.org puts it."""
    unit = initiative.ParticipantsUnit(initiative.participants_unit)
    data = {
        "@type": "InteractionCounter",
        "name": str(unit.label),
        "userInteractionCount": initiative.participants,
    }
    if unit in INTERACTION_TYPES:
        data["interactionType"] = {"@type": INTERACTION_TYPES[unit]}
    return data

"""schema.org descriptions of detail pages, for search engines and link previews.

An initiative is a schema.org Project, a kind of Organization: it is run by its facilitator or
network (parentOrganization), lasts from foundingDate to dissolutionDate, its sources are
CreativeWorks about it (subjectOf), and its participants figure is an InteractionCounter named
by its unit (interactionStatistic). Project has no startDate, organizer or citation (a property
of CreativeWork only).

A facilitator is an NGO, member of its networks (memberOf), and a network an Organization with
its members (member), each membership wrapped in an OrganizationRole that carries the years it
began and ended (startDate, endDate), as schema.org's Role pattern does.
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


def network_organisation(network, request):
    return {
        "@type": "Organization",
        "name": network.name,
        "url": request.build_absolute_uri(network.get_absolute_url()),
    }


def membership_role(membership, prop, organisation):
    """The organisation at the other end of the membership, in a Role with its years."""
    role = {"@type": "OrganizationRole", prop: organisation}
    if membership.joined_year:
        role["startDate"] = str(membership.joined_year)
    if membership.ended_year:
        role["endDate"] = str(membership.ended_year)
    return role


def for_network(network, memberships, request):
    data = {"@context": "https://schema.org", **network_organisation(network, request)}
    data["description"] = network.description
    if network.website:
        data["sameAs"] = network.website
    if network.founded_year:
        data["foundingDate"] = str(network.founded_year)
    data["member"] = [
        membership_role(membership, "member", organisation(membership.facilitator, request))
        for membership in memberships
    ]
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
        membership_role(membership, "memberOf", network_organisation(membership.network, request))
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
        data["parentOrganization"] = network_organisation(initiative.network, request)
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
    if source.archive_url:
        data["archivedAt"] = source.archive_url
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

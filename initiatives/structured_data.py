"""schema.org descriptions of detail pages, for search engines and link previews."""


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
        "keywords": [tag.name for tag in initiative.listed_tags],
    }
    if initiative.facilitator:
        data["organizer"] = organisation(initiative.facilitator, request)
    elif initiative.network:
        data["organizer"] = {"@type": "Organization", "name": initiative.network.name}
    if initiative.started_on:
        data["startDate"] = initiative.started_on.isoformat()
    if initiative.ended_on:
        data["endDate"] = initiative.ended_on.isoformat()
    if initiative.source_url:
        data["citation"] = initiative.source_url
    return data

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404, render

from initiatives import facet_index, structured_data
from initiatives.finder import finder_page
from initiatives.listing import listed
from initiatives.models import Initiative, Sector
from initiatives.slugs import follow_renamed_slugs
from probono import pages, shared_cache
from probono.caching import versioned_key


def sectors_with_counts():
    """Every sector, in the order of their names, each with its `initiative_count`."""
    counts = facet_index.current().counts("sector")
    sectors = list(Sector.objects.all())
    for sector in sectors:
        sector.initiative_count = counts.get(str(sector.pk), 0)
    return sectors


def initiative_list(request):
    return finder_page(request, "initiatives/initiative_list.html")


def may_preview(request):
    """Whether staff preview drafts here. Without a session cookie the request is a reader's:
    reading its user would mark the page `Vary: Cookie`, which no shared cache keeps."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.has_perm(
        "initiatives.view_initiative"
    )


def visible_initiatives(request):
    """Readers see published initiatives; staff also preview drafts."""
    if may_preview(request):
        return Initiative.objects.all()
    return Initiative.objects.published()


def find_initiative(request, slug):
    """The initiative with everything its page shows. Readers get published ones from the
    cache, until the next write; staff previews always come from the database.
    """
    if may_preview(request):
        return with_links(get_object_or_404(Initiative.objects.for_detail(), slug=slug))
    return published_initiative(slug)


def published_initiative(slug):
    """What readers see of an initiative, from the cache until the next write."""
    return cache.get_or_set(
        versioned_key("initiative", slug),
        lambda: with_links(
            get_object_or_404(Initiative.objects.published().for_detail(), slug=slug)
        ),
    )


def with_links(initiative):
    """The initiative with its links and sources, and the related initiatives its page
    suggests."""
    initiative = listed([initiative], partners_and_tags=True)[0]
    initiative.listed_sources = list(initiative.sources.all())
    initiative.related = listed(Initiative.objects.for_listing().related_to(initiative))
    return initiative


@follow_renamed_slugs(visible_initiatives)
def initiative_detail(request, slug):
    initiative = find_initiative(request, slug)
    context = {
        "initiative": initiative,
        "structured_data": structured_data.for_initiative(initiative, request),
        "canonical_url": request.build_absolute_uri(initiative.get_absolute_url()),
    }
    response = render(request, "initiatives/initiative_detail.html", context)
    if not initiative.is_published:
        # A preview is for this staff member only: no shared cache keeps it.
        response["Cache-Control"] = "private, no-store"
    shown = [initiative, *initiative.related]
    return shared_cache.narrow(response, set().union(*map(shared_cache.initiative_keys, shown)))


def sector_list(request):
    context = {"sectors": sectors_with_counts(), "head": pages.head(request, "sector_list")}
    return render(request, "initiatives/sector_list.html", context)


@follow_renamed_slugs(lambda request: Sector.objects.all())
def sector_detail(request, slug):
    sector = cache.get_or_set(
        versioned_key("sector", slug), lambda: get_object_or_404(Sector, slug=slug)
    )
    return finder_page(
        request, "initiatives/sector_detail.html", {"sector": sector}, fixed={"sector": slug}
    )

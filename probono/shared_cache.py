"""What a shared cache in front of the site (Varnish, a CDN) may keep, and its purge on commit.

The page cache (`probono.caching`) offers shared caches what it keeps for readers, and only
when it is of the current versions: `Cache-Control` with `s-maxage` (browsers still revalidate,
with `max-age=0`), `Surrogate-Key` naming what the response shows, and `X-Data-Version`, the
data version it was rendered at. Nothing is offered unless SHARED_CACHE_MAX_AGE is set (it is
whenever SHARED_CACHE_PURGE_URLS names a cache): a proxy that nobody purges must not keep a
page for a day.

Keys: `site` on everything; `initiatives` on everything that lists or counts initiatives, which
is every response unless its view names narrower keys (`narrow`), as an initiative's own page
does: that initiative, the initiatives it suggests, and what it and they are linked to. A write
purges the keys of what it changed (`initiatives.changes`), after the page cache's versions have
moved, so that whatever fetches the purged pages again gets them rendered afresh.

A page rendered before a write but delivered after its purge would be kept stale: the purge
carries the new data version, and the shipped VCL (ops/varnish/probono.vcl) refuses anything
rendered at an older one. docs/edge.md describes the whole, and a CDN's tag purge in its place.
"""

import logging
import urllib.error
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

EVERYTHING = "site"
LISTS = "initiatives"
DEFAULT_KEYS = (EVERYTHING, LISTS)
# A bulk change past this many keys purges everything: one purge, not a header of thousands.
MAX_KEYS = 200
PURGE_TIMEOUT = 2


def key(kind, value):
    """One surrogate key: `initiative:12`, `country:pt`."""
    return f"{kind}:{str(value).lower()}"


def initiative_keys(initiative):
    """What an initiative's entry on a page depends on: itself and what it is linked to, as
    `listing.listed()` and `for_detail()` load them."""
    keys = {key("initiative", initiative.pk)}
    # A card in a list loads only what it shows (`for_listing`), its page more.
    loaded = [f"{kind}_id" for kind in ("facilitator", "network", "crisis")]
    for attname in set(loaded) - initiative.get_deferred_fields():
        if (related := getattr(initiative, attname)) is not None:
            keys.add(key(attname.removesuffix("_id"), related))
    keys.update(key("country", country.code) for country in initiative.listed_countries)
    keys.update(key("sector", sector.pk) for sector in initiative.listed_sectors)
    keys.update(
        key("facilitator", partner.pk) for partner in getattr(initiative, "listed_partners", ())
    )
    keys.update(key("tag", tag.pk) for tag in getattr(initiative, "listed_tags", ()))
    return keys


def narrow(response, keys):
    """Name what the response shows, in place of `initiatives`: no other write purges it."""
    response.surrogate_keys = {EVERYTHING, *keys}
    return response


def offer(response, data_version, canonical):
    """Let shared caches keep the response (kept by the page cache at `data_version`)."""
    max_age = settings.SHARED_CACHE_MAX_AGE
    if not max_age:
        return
    if not canonical:
        max_age = min(max_age, settings.SHARED_CACHE_NONCANONICAL_MAX_AGE)
    keys = getattr(response, "surrogate_keys", DEFAULT_KEYS)
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={max_age}"
        f", stale-while-revalidate={settings.SHARED_CACHE_STALE_WHILE_REVALIDATE}"
        f", stale-if-error={settings.SHARED_CACHE_STALE_IF_ERROR}"
    )
    response["Surrogate-Key"] = " ".join(sorted(keys))
    response["X-Data-Version"] = str(data_version)


def withhold(response):
    """Keep a response offered once (a page kept before a write) from shared caches."""
    if "Surrogate-Key" in response:
        for header in ("Surrogate-Key", "X-Data-Version"):
            del response[header]
        response["Cache-Control"] = "public, no-cache"
    return response


def purge(keys, data_version):
    """Ask every shared cache to drop what carries any of `keys`; whether all acknowledged.

    Called after the commit and after the page cache's versions moved. A cache that cannot be
    reached is logged, not raised: the write is done, and the cache's TTL bounds the damage.
    """
    if not settings.SHARED_CACHE_PURGE_URLS or not keys:
        return True
    if EVERYTHING in keys or len(keys) > MAX_KEYS:
        keys = [EVERYTHING]
    headers = {"xkey-purge": " ".join(sorted(keys)), "X-Data-Version": str(data_version)}
    acknowledged = True
    for url in settings.SHARED_CACHE_PURGE_URLS:
        request = urllib.request.Request(url, method="PURGE", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT) as answer:
                answer.read()
        except (OSError, urllib.error.URLError) as error:
            logger.error("The shared cache at %s was not purged of %s: %r", url, keys, error)
            acknowledged = False
    return acknowledged

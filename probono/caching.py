"""Caching under the directory's versions, which a committed write moves (`changes.publish`).

Two counters: the data version moves with every write, the removal version also with a write
that took something off the public pages (an unpublished or deleted initiative, a deleted
sector...). Everything cached under `versioned_key` (counts, the vocabulary, fragments, whole
initiatives) names both, so a write makes it unreachable at once. Whole pages are kept under
their address alone, with the versions they were rendered at:

- a page of the current versions is served as it is;
- a page older only by the data version (an edit or an addition) may still be served while
  another request renders it again, if it was rendered less than STALE_FOR ago: readers never
  wait behind a write, and see it at most STALE_FOR late;
- a page rendered before a removal is never served: one request renders the page again, and the
  others wait for it (at most WAIT_FOR) rather than all render it at once.

The versions live in the "versions" cache: local memory for one process, Redis (CACHE_URL) when
several processes must agree, shared by every release (settings.CACHES). When they cannot be
read (Redis down, or full and without them), nothing is served from the cache, kept in it under
their name, or given an ETag: pages are rendered, as if nothing were cached.

A page is kept a day only at its canonical address: one without a query string, or whose view
named its query canonical (`canonical_query`). Any other spelling (an unknown parameter, a
value the finder ignored with a notice, another order) is kept NONCANONICAL_FOR, so that a
link shared with tracking parameters is not rendered for each reader, while a scan of made-up
addresses leaves nothing behind for long. Keys name the scheme and host, which pages print
in their canonical links.

A shared cache in front (Varnish) is offered a page only when it is of the current versions
and no write committed while it rendered (`probono.shared_cache`): it keeps pages until a
purge, not until the versions move.
"""

import hashlib
import time
import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache, caches
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control

from probono import shared_cache

DATA_VERSION = "directory:data-version"
REMOVAL_VERSION = "directory:removal-version"
PAGE_TIMEOUT = 24 * 60 * 60
NONCANONICAL_FOR = 60
STALE_FOR = 60
# How long a request waits for another one rendering the same page, and how often it looks.
WAIT_FOR, WAIT_STEP = 2.0, 0.02
# A request that renders a page holds its lock at most this long (a worker killed mid-render).
LOCK_TIMEOUT = 30
# The token of keys made while the versions cannot be read: no other request asks for them.
UNVERSIONED = "unversioned-"


def versions():
    """(data version, removal version), read together; (None, None) if the cache cannot say.

    Read afresh by each key, so a write that commits while a page renders may give the page's
    later parts the new versions: harmless, since the page itself is kept under the versions
    read before it began, which that write has left behind."""
    shared = caches["versions"]
    found = shared.get_many([DATA_VERSION, REMOVAL_VERSION])
    if len(found) < 2:
        # A fresh start, a flushed cache or an evicted version must not reuse old numbers:
        # the time in nanoseconds is past any number a version reached by counting writes.
        for key in (DATA_VERSION, REMOVAL_VERSION):
            shared.add(key, time.time_ns(), timeout=None)
        found = shared.get_many([DATA_VERSION, REMOVAL_VERSION])
    return found.get(DATA_VERSION), found.get(REMOVAL_VERSION)


def data_version():
    return versions()[0]


def token():
    """Both versions in one string, for keys and ETags; without them, a token of its own that
    no other request will ask for."""
    data, removal = versions()
    if data is None or removal is None:
        return f"{UNVERSIONED}{uuid.uuid4().hex}"
    return f"{data}.{removal}"


def data_changed(removal=False):
    """Called by `changes.publish` once a write has committed. The removal version moves
    first: no request may pair the old one with a version that already includes the write."""
    shared = caches["versions"]
    for key in (REMOVAL_VERSION, DATA_VERSION) if removal else (DATA_VERSION,):
        try:
            shared.incr(key)
        except ValueError:
            shared.set(key, time.time_ns(), timeout=None)


def versioned_key(*parts):
    """A cache key under the current versions, e.g. for facet counts of one view."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return f"directory:{token()}:{digest}"


# What this process keeps of the shared cache, for the current versions only.
_kept_in_process = {}


def kept_in_process(key, compute, timeout=None):
    """cache.get_or_set() under a versioned key, also kept by this process: read on every
    request, it is not worth unpickling each time. A write moves the versions, and with them
    the key, so the copy is never stale; copies under older versions are dropped.
    """
    if (value := _kept_in_process.get(key)) is None:
        value = cache.get_or_set(key, compute, timeout)
        if UNVERSIONED in key:
            return value
        current = key.rsplit(":", 1)[0]
        # The threads of a gthread worker share this dict: iterate over a copy of its keys,
        # and let two of them drop the same older copy.
        for older in list(_kept_in_process):
            if not older.startswith(current):
                _kept_in_process.pop(older, None)
        _kept_in_process[key] = value
    return value


class PageCacheMiddleware:
    """Serve anonymous readers whole pages from the cache, and 304s to browsers that have them.

    Staff (a session that holds a logged-in user) and the admin bypass it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        return self.cached_response(request)

    def cached_response(self, request):
        data, removal = versions()
        if data is None or removal is None:
            return self.get_response(request)
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        if etag(data, removal, language) in request.headers.get("If-None-Match", ""):
            return self.not_modified(etag(data, removal, language))
        key = page_key(request, language)
        entry = cache.get(key)
        if entry is None or entry.removal != removal:
            return self.rendered_once(request, key, language, wait=True)
        if entry.data == data:
            return self.served(request, entry, language)
        if time.time() - entry.rendered_at <= STALE_FOR:
            # Someone else may be rendering it: this reader takes the previous version, which
            # no shared cache may keep.
            rendered = self.rendered_once(request, key, language, wait=False)
            return rendered or shared_cache.withhold(self.served(request, entry, language))
        return self.rendered_once(request, key, language, wait=True)

    def rendered_once(self, request, key, language, wait):
        """Render and keep the page, unless another request is at it: then wait for its page
        (`wait`) or return None."""
        lock = f"{key}:rendering"
        if cache.add(lock, 1, timeout=LOCK_TIMEOUT):
            try:
                return self.rendered(request, key, language)
            finally:
                cache.delete(lock)
        if not wait:
            return None
        current = versions()
        deadline = time.monotonic() + WAIT_FOR
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            held = cache.get(lock) is not None
            entry = cache.get(key)
            if entry is not None and (entry.data, entry.removal) == current:
                return self.served(request, entry, language)
            if not held:
                # Released without a page kept (a 404, or a cache that is full or down):
                # nothing to wait for.
                break
        # The other request is slow or gone: render here rather than keep waiting.
        return self.rendered(request, key, language)

    def rendered(self, request, key, language):
        data, removal = versions()
        response = self.get_response(request)
        if self.cacheable_response(response) and None not in (data, removal):
            self.mark(response, etag(data, removal, language))
            is_canonical = canonical(request, response)
            # A write that committed during the render may be missing from the page: kept here
            # under the versions read before it, but offered to no shared cache.
            if versions() == (data, removal):
                shared_cache.offer(response, data, is_canonical)
            timeout = PAGE_TIMEOUT if is_canonical else NONCANONICAL_FOR
            cache.set(key, CachedPage(data, removal, time.time(), response), timeout)
        elif self.shareable_stream(response) and versions() == (data, removal) != (None, None):
            # An export: too long to keep here, but a shared cache may, purged like the rest.
            shared_cache.offer(response, data, canonical(request, response))
        return response

    def served(self, request, entry, language):
        tag = etag(entry.data, entry.removal, language)
        if tag in request.headers.get("If-None-Match", ""):
            return self.not_modified(tag)
        return entry.response

    def not_modified(self, tag):
        response = HttpResponseNotModified()
        self.mark(response, tag)
        return response

    @staticmethod
    def cacheable_request(request):
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith("/" + settings.ADMIN_PATH)
            # Only with a session cookie is the session read (one query): a made-up cookie
            # gets the readers' page, not a page rendered for it.
            and (
                settings.SESSION_COOKIE_NAME not in request.COOKIES
                or SESSION_KEY not in request.session
            )
        )

    @staticmethod
    def cacheable_response(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def shareable_stream(response):
        return (
            response.status_code == 200
            and response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def mark(response, tag):
        response["ETag"] = tag
        # Browsers may keep the page, but must ask (and get a 304) before showing it again.
        patch_cache_control(response, no_cache=True, public=True)


class CachedPage:
    __slots__ = ("data", "removal", "rendered_at", "response")

    def __init__(self, data, removal, rendered_at, response):
        self.data, self.removal = data, removal
        self.rendered_at, self.response = rendered_at, response

    def __getstate__(self):
        return (self.data, self.removal, self.rendered_at, self.response)

    def __setstate__(self, state):
        self.data, self.removal, self.rendered_at, self.response = state


def etag(data, removal, language):
    return f'"{data}.{removal}-{language}"'


def canonical(request, response):
    """Whether the page was asked for at its canonical address: with no query string, or the
    one its view named (`mark_canonical`)."""
    query = request.META.get("QUERY_STRING", "")
    return not query or getattr(response, "canonical_query", None) == query


def mark_canonical(response, querystring):
    """Name the response's canonical query string (with or without its "?"), for the page
    cache to keep it as long as any page."""
    response.canonical_query = querystring.lstrip("?")
    return response


def page_key(request, language):
    """A page's key: its absolute address (pages print their scheme and host in their links),
    language and kind (whole page or the finder's fragment), not the versions, which the entry
    records."""
    # Not build_absolute_uri(), whose urljoin() resolves "/../" as a browser would: the
    # resolver does not, and "/..%2f" would be given the home page.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    kind = "fragment" if wants_fragment(request) else "page"
    parts = [kind, language, address]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"directory:page:{digest}"


def wants_fragment(request):
    """Whether the finder's in-place update (static/js/finder.js) asks for its fragment only.
    Any other value of the header gets, and shares, the whole page."""
    return request.headers.get("X-Requested-With") == "finder"

"""Caching under one data version: every write to the directory bumps it, so nothing stale is
ever served, and everything keyed by it (facet counts, pages, ETags) changes at once.

The version lives in Django's default cache: local memory for one process, Redis (CACHE_URL)
when several gunicorn workers must agree.
"""

import hashlib
import time

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control

VERSION_KEY = "directory:data-version"
PAGE_TIMEOUT = 24 * 60 * 60
# The finder's in-place updates ask for a fragment with this header.
FRAGMENT_HEADER = "HTTP_X_REQUESTED_WITH"
# A reader's request reads the version once: every key it builds then agrees.
_this_request = Local()


def data_version():
    if (version := getattr(_this_request, "data_version", None)) is not None:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh start (or a flushed cache) must not reuse an old version number.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_data_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def data_changed(removal=False):
    """Called by `changes.publish` once a write has committed."""
    bump_data_version()


def versioned_key(*parts):
    """A cache key under the current data version, e.g. for facet counts of one view."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return f"directory:{data_version()}:{digest}"


# What this process keeps of the shared cache, for the current data version only.
_kept_in_process = {}


def kept_in_process(key, compute, timeout=None):
    """cache.get_or_set() under a versioned key, also kept by this process: read on every
    request, it is not worth unpickling each time. A write bumps the version, and with it the
    key, so the copy is never stale; copies under older versions are dropped.
    """
    if (value := _kept_in_process.get(key)) is None:
        value = cache.get_or_set(key, compute, timeout)
        current = key.rsplit(":", 1)[0]
        for older in [kept for kept in _kept_in_process if not kept.startswith(current)]:
            del _kept_in_process[older]
        _kept_in_process[key] = value
    return value


class PageCacheMiddleware:
    """Serve anonymous readers whole pages from the cache, and 304s to browsers that have them.

    Pages are keyed by data version, language and full URL, so a publication or an edit is
    visible on the very next request. Staff (anyone with a session) and the admin bypass it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        _this_request.data_version = version = data_version()
        try:
            return self.cached_response(request, version)
        finally:
            del _this_request.data_version

    def cached_response(self, request, version):
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        etag = f'"{version}-{language}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            self.mark(response, etag)
            return response
        key = versioned_key(
            "page", language, request.get_full_path(), request.META.get(FRAGMENT_HEADER, "")
        )
        response = cache.get(key)
        if response is None:
            response = self.get_response(request)
            if self.cacheable_response(response):
                self.mark(response, etag)
                cache.set(key, response, PAGE_TIMEOUT)
        return response

    @staticmethod
    def cacheable_request(request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith("/" + settings.ADMIN_PATH)
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
    def mark(response, etag):
        response["ETag"] = etag
        # Browsers may keep the page, but must ask (and get a 304) before showing it again.
        patch_cache_control(response, no_cache=True, public=True)

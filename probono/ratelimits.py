"""Rate limits per client address on what costs the most to answer: exports, searches, the
admin's login and import forms, readers' corrections, proposals and alerts, and pages rendered
at all (docs/operations.md: Rate limits).

django-ratelimit counts, in the shared cache, the requests of each address (as `client_ip`
finds it behind TRUSTED_PROXY_COUNT proxies) in fixed windows of RATE_LIMIT_WINDOW seconds.
The limits apply where the view is called, below the page cache: a search served from the cache
costs nothing and is never counted. With the cache down, nothing is counted and nothing limited.
"""

import re

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from probono.admin_site import client_ip

# What the 429 page says was asked for too often.
LIMITED = {
    "exports": _("exports"),
    "searches": _("searches"),
    "logins": _("login attempts"),
    "imports": _("imports"),
    "pages": _("pages not yet in the cache"),
    "reports": _("corrections and proposals"),
    "alerts": _("alerts asked for"),
    "api": _("API requests"),
}
# The readers' forms count their submissions themselves (`over_limit`), so that a reader past
# the limit gets the form back with what they typed.
COUNTED_BY_THE_VIEW = {
    "report_initiative",
    "report_facilitator",
    "report_network",
    "propose_initiative",
    "alert_new",
}


def limit_of(request):
    """The name of the limit this request counts against (settings.RATE_LIMITS), if any."""
    match = request.resolver_match
    if re.match(settings.PUBLIC_API_PATHS, request.path_info):
        return "api"
    if match.view_name == "initiative_export":
        return "exports"
    if "admin" in match.namespaces:
        if request.method != "POST":
            return None
        if match.url_name == "login":
            return "logins"
        # django-import-export's import form and its confirmation.
        return "imports" if match.url_name.endswith("_import") else None
    if request.method == "POST" and match.url_name in COUNTED_BY_THE_VIEW:
        return None
    if request.GET.get("q", "").strip():
        return "searches"
    # Every address not yet in the page cache (made-up parameters, say) costs a render.
    return None if match.view_name == "healthz" else "pages"


def address(group, request):
    return client_ip(request)


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        name = limit_of(request)
        if (retry_after := over_limit(request, name)) is None:
            return None
        return too_many_requests(request, name, retry_after)


def over_limit(request, name):
    """Count this request against the limit `name`: None while within it, else the seconds
    until the reader may try again."""
    if not (limit := settings.RATE_LIMITS.get(name, 0)):
        return None
    rate = (limit, settings.RATE_LIMIT_WINDOW)
    usage = get_usage(request, group=name, key=address, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    # django-ratelimit's window takes in whole seconds up to and including its last one.
    return usage["time_left"] + 1


def too_many_requests(request, name, retry_after):
    if name == "api":
        message = f"Over {settings.RATE_LIMITS[name]} requests in {settings.RATE_LIMIT_WINDOW} s."
        response = JsonResponse({"detail": message}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    context = {"limited": LIMITED[name], "limit": settings.RATE_LIMITS[name]}
    context |= {"window": settings.RATE_LIMIT_WINDOW, "retry_after": retry_after}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response

import re

from django.conf import settings
from django.middleware.gzip import GZipMiddleware

# The embeds' loader, which partners' pages load from their own origin (networks/embeds.py),
# under its name or the name with a hash that collectstatic gives it.
EMBED_LOADER = re.compile(r"js/embed(\.[0-9a-f]{12})?\.js")


def cross_origin_resource_policy(get_response):
    """No other site may embed our pages, files or exports (Django has no setting for it); the
    API is for every site."""
    public = re.compile(settings.PUBLIC_API_PATHS)

    def middleware(request):
        response = get_response(request)
        policy = "cross-origin" if public.match(request.path_info) else "same-origin"
        response.headers.setdefault("Cross-Origin-Resource-Policy", policy)
        return response

    return middleware


def static_file_headers(headers, path, url):
    """WhiteNoise's WHITENOISE_ADD_HEADERS_FUNCTION: the embeds' loader is for every site;
    the middleware above leaves the policy a response already has."""
    if EMBED_LOADER.fullmatch(url.removeprefix(settings.STATIC_URL)):
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"


class PublicGZipMiddleware(GZipMiddleware):
    """Compress the public pages, feeds, sitemaps and exports, not the admin.

    BREACH guesses a secret in a compressed page from its size, and needs the page to carry
    both the secret and text the attacker chose. Public pages carry no secret (no session data,
    no CSRF token: their only form is a GET); the admin's pages carry CSRF tokens, so they are
    sent as they are, whatever the random padding Django adds against it.
    """

    def process_response(self, request, response):
        admin = request.path.startswith("/" + settings.ADMIN_PATH)
        # The share cards are PNGs, compressed already.
        image = response.get("Content-Type", "").startswith("image/")
        if admin or image:
            return response
        return super().process_response(request, response)

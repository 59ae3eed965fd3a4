"""Lists of initiatives that partners show on their own sites, and that only they may frame.

A list is any view of the finder (its own parameters, read by the same Finder), in a compact
page at /embed/<partner>/, which static/js/embed.js inserts as an iframe and sizes to its
content. The partner's origins are the page's frame-ancestors; every other page keeps
frame-ancestors 'none'.
"""

from urllib.parse import urlencode, urlsplit

from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language_from_path, override
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from initiatives.cards import cards_for
from initiatives.finder import Finder
from networks.embed_partners import EmbedPartner
from probono.caching import mark_canonical

THEMES = ["light", "dark"]
DEFAULT_THEME = "light"
# What an oEmbed consumer gets unless it asks for less.
WIDTH, HEIGHT = 600, 480
TEXT = "text/plain; charset=utf-8"


def active_partner(slug):
    return get_object_or_404(EmbedPartner.objects.active(), slug=slug)


def framed_by(partner, view):
    """The view, which the partner's pages may frame, and the directory's own (the admin's
    preview); no X-Frame-Options, which cannot name an origin."""
    ancestors = {"frame-ancestors": [SELF, *partner.origins]}
    return xframe_options_exempt(csp_replace(ancestors)(view))


class EmbedParameters:
    """The finder's view that an embed's query string names, and the embed's own theme."""

    def __init__(self, request, params):
        params = params.copy()
        themes = params.pop("theme", [])
        self.finder = Finder(request, params=params)
        notices = self.finder.query.notices
        self.theme = themes[0] if themes else DEFAULT_THEME
        if len(themes) > 1:
            notices.append(_("Used the first “%s” only.") % "theme")
        if self.theme not in THEMES:
            notices.append(
                _("Ignored %(name)s “%(value)s”, which is not valid.")
                % {"name": "theme", "value": self.theme[:40]}
            )
            self.theme = DEFAULT_THEME

    @property
    def querystring(self):
        """The finder's canonical parameters, then the theme unless it is the default."""
        pairs = self.finder.query.pairs()
        if self.theme != DEFAULT_THEME:
            pairs.append(("theme", self.theme))
        return f"?{urlencode(pairs)}" if pairs else ""


def embed(request, slug):
    partner = active_partner(slug)
    return framed_by(partner, embed_page)(request, partner)


def embed_page(request, partner):
    embedded = EmbedParameters(request, request.GET)
    finder = embedded.finder
    current = request.META.get("QUERY_STRING", "")
    if not finder.query.notices and embedded.querystring.lstrip("?") != current:
        # As the finder does: one address, and one cached page, per view.
        return redirect(request.path + embedded.querystring, permanent=True)
    address = request.build_absolute_uri(request.path + embedded.querystring)
    context = {
        "partner": partner,
        "finder": finder.paginate(),
        "cards": cards_for(finder.page.object_list),
        "theme": embedded.theme,
        "more_url": reverse("initiative_list") + finder.shared_querystring(),
        "oembed_url": request.build_absolute_uri(
            reverse("oembed") + "?" + urlencode({"url": address, "format": "json"})
        ),
    }
    response = render(request, "embeds/embed.html", context)
    # Never kept by browsers, so never revalidated: a 304 from the page cache would carry the
    # directory's frame-ancestors 'none', and browsers update a stored page's CSP from a 304.
    # The page cache still keeps it whole, its framing with it.
    response["Cache-Control"] = "no-store"
    if not finder.query.notices:
        mark_canonical(response, embedded.querystring)
    return response


def theme_css(request, slug):
    """The partner's accent colour, as a style sheet: pages may load no inline style."""
    partner = active_partner(slug)
    css = f":root {{ --accent: {partner.accent_colour}; }}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


def oembed(request):
    """oEmbed (https://oembed.com/) for embed addresses: a "rich" iframe of the list."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse(_("Only the JSON format is available."), TEXT, status=501)
    try:
        width = dimension(request.GET.get("maxwidth"), WIDTH)
        height = dimension(request.GET.get("maxheight"), HEIGHT)
    except ValueError:
        return HttpResponse(_("maxwidth and maxheight must be positive integers."), TEXT, 400)
    url = request.GET.get("url", "")
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return HttpResponse(_("Give the address of an embedded list as “url”."), TEXT, 400)
    if (parts.scheme, parts.netloc) != (request.scheme, request.get_host()):
        return HttpResponse(_("This address is not one of this directory's."), TEXT, 404)
    partner, title = embedded_view(request, parts)
    if partner is None:
        return HttpResponse(_("This address is not an embedded list."), TEXT, 404)
    src = request.build_absolute_uri(parts.path) + (f"?{parts.query}" if parts.query else "")
    iframe = '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy"></iframe>'
    return JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "title": title,
            "provider_name": _("Pro Bono Directory"),
            "provider_url": request.build_absolute_uri(reverse("home")),
            "html": format_html(iframe, src, title, width, height),
            "width": width,
            "height": height,
        },
        content_type="application/json; charset=utf-8",
    )


def dimension(value, default):
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()) or int(value) == 0:
        raise ValueError(value)
    return min(int(value), default)


def embedded_view(request, parts):
    """(partner, title of the view) of an embed address of this site, or (None, None)."""
    language = get_language_from_path(parts.path) or settings.LANGUAGE_CODE
    with override(language):
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None, None
        if match.url_name != "embed":
            return None, None
        partner = EmbedPartner.objects.active().filter(slug=match.kwargs["slug"]).first()
        if partner is None:
            return None, None
        embedded = EmbedParameters(request, QueryDict(parts.query))
        return partner, embedded.finder.title


def embed_address(directory, partner, view_query, theme, language):
    """The absolute address of a partner's list of a view (a finder's query string)."""
    query = QueryDict(view_query.lstrip("?"), mutable=True)
    if theme != DEFAULT_THEME:
        query["theme"] = theme
    with override(language):
        address = directory + reverse("embed", args=[partner.slug])
    return address + (f"?{query.urlencode()}" if query else "")


def snippet(directory, partner, view_query, theme, language):
    """The loader's <script> for a partner's page, with a link for browsers without scripts."""
    view_query = view_query.lstrip("?")
    with override(language):
        attributes = {
            # Its stable name, not the one collectstatic hashes, which changes with releases.
            "src": directory + settings.STATIC_URL + "js/embed.js",
            "data-partner": partner.slug,
            "data-view": f"?{view_query}" if view_query else "",
            "data-theme": theme,
            # The address's language prefix: none for the default language.
            "data-lang": "" if language == settings.LANGUAGE_CODE else language,
            "data-title": _("Pro bono initiatives"),
        }
        link_text = _("Pro bono initiatives on Pro Bono Directory")
    tag = format_html_join(" ", '{}="{}"', [item for item in attributes.items() if item[1]])
    return format_html(
        '<script {} async></script>\n<noscript><a href="{}">{}</a></noscript>',
        tag,
        embed_address(directory, partner, view_query, theme, language),
        link_text,
    )

"""English and French: each page's address in the other language, and names in a reader's order."""

import dataclasses
import functools
import unicodedata

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject

# Open Graph wants a territory; the directory writes International English.
OPEN_GRAPH_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def reverse_often(viewname, *args):
    """reverse() for the few addresses every card repeats (countries, sectors), remembered per
    language: a list page links to some hundred of them.
    """
    return remembered_reverse(viewname, args, *url_context())


def url_context():
    """What reverse() reads besides its arguments: the language, script prefix and URLconf."""
    return translation.get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


@functools.lru_cache(maxsize=4096)
def remembered_reverse(viewname, args, language, script_prefix, urlconf):
    """reverse(), for a caller that has read `url_context()` and passes it on."""
    return reverse(viewname, args=args)


@dataclasses.dataclass
class Language:
    code: str
    name: str  # in the language itself: "English", "Français"
    url: str  # this page in that language, query string included
    absolute_url: str
    current: bool

    @property
    def default(self):
        """The language of unprefixed addresses, for hreflang="x-default"."""
        return self.code == settings.LANGUAGE_CODE

    @property
    def open_graph_locale(self):
        return OPEN_GRAPH_LOCALES[self.code]


def page_in(request, code, query=""):
    """The same page in the language `code`, with `query` (never what else the address carried:
    a finder page passes its canonical query); the home page if no view matched."""
    if request.resolver_match is None:
        with translation.override(code):
            return reverse("home")
    return translate_url(request.path, code) + query


def languages(request, query=""):
    """Context processor: `languages`, the current page in each language, for the switcher and the
    hreflang links. Lazy, so that pages that do not show them (the admin) do not compute them.
    A view whose links keep a query passes its own `languages(request, query)` in its context."""

    def build():
        current = translation.get_language()
        result = []
        for code, name in settings.LANGUAGES:
            url = page_in(request, code, query)
            absolute = request.build_absolute_uri(url)
            result.append(Language(code, name, url, absolute, code == current))
        return result

    return {"languages": SimpleLazyObject(build)}


def fold(text):
    """Lower-case, accents removed: "Réserve Civique" and "reserve civique" fold alike."""
    text = str(text or "")
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def collation_key(text):
    """Sort as a dictionary does, in English and French: accents and case aside, so that
    "Émirats arabes unis" comes among the E's, then the exact spelling to break ties."""
    return _collation_key(str(text))


@functools.lru_cache(maxsize=8192)
def _collation_key(text):
    return fold(text).replace("œ", "oe").replace("æ", "ae"), text


def admin_language(get_response):
    """The admin has no /fr/: it speaks the language of the editor's browser, where Django's
    LocaleMiddleware would give it English, as it gives every address without a prefix."""

    def middleware(request):
        if request.path.startswith("/" + settings.ADMIN_PATH):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
        return get_response(request)

    return middleware

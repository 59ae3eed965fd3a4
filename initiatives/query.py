"""Reading the finder's query string: keep what is valid, say what was ignored, one URL per view.

A shared link must keep working months later, whatever it carries: unknown values from an old
link, malformed numbers, junk characters. `clean_query` never fails: it returns the valid part in
canonical form, and a notice for each thing it ignored.
"""

import dataclasses
import unicodedata
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from initiatives import search
from initiatives.filters import SORT_CHOICES
from initiatives.notices import Notice

SORTS = [value for value, label in SORT_CHOICES]
MAX_PAGE = 10**6
REPLACEMENT = "\ufffd"


@dataclasses.dataclass
class CleanQuery:
    definitions: dict  # name -> the FinderFilter, in canonical order
    filters: dict  # name -> sorted list of valid values as stored, only for filters with some
    q: str = ""
    sort: str = ""
    page: int = 1
    show: str = ""  # the filter whose options are all listed, not only its top ones
    notices: list = dataclasses.field(default_factory=list)

    @property
    def default_sort(self):
        return "relevance" if self.q else "newest"

    def pairs(self, page=True):
        """The canonical parameters: fixed order, sorted values, defaults left out."""
        pairs = [
            (name, definition.spelled(value))
            for name, definition in self.definitions.items()
            for value in self.filters.get(name, [])
        ]
        if self.q:
            pairs.append(("q", self.q))
        if self.sort != self.default_sort:
            pairs.append(("sort", self.sort))
        if self.show:
            pairs.append(("show", self.show))
        if page and self.page > 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def querystring(self, **changes):
        """The canonical query string, optionally with some changes (e.g. another page)."""
        query = dataclasses.replace(self, **{"filters": dict(self.filters), **changes})
        encoded = urlencode(query.pairs())
        return f"?{encoded}" if encoded else ""

    def without(self, name, value=None):
        """The canonical query string with one value (or a whole parameter) removed, page 1."""
        filters = dict(self.filters)
        if name == "q":
            sort = "newest" if self.sort == "relevance" else self.sort
            return self.querystring(q="", sort=sort, page=1)
        kept = [v for v in filters.get(name, []) if value is not None and v != value]
        filters[name] = kept
        return self.querystring(filters=filters, page=1)

    @property
    def is_filtered(self):
        return bool(self.filters or self.q)


def strip_control_characters(value):
    """Control characters become spaces, so that "legal<TAB>advice" stays two words."""
    return "".join(" " if unicodedata.category(char)[0] == "C" else char for char in value)


def clean_query(querydict, definitions, vocabulary, fixed=()):
    """Return a CleanQuery from request.GET, ignoring (and noting) everything invalid.

    `definitions` are the filters by name; `fixed` the page's own dimension, which no link sets.
    """
    query = CleanQuery(definitions, filters={})
    notices = query.notices
    for name in querydict:
        raw_values = querydict.getlist(name)
        values = [strip_control_characters(value).strip() for value in raw_values]
        if values != [value.strip() for value in raw_values]:
            notices.append(
                Notice(
                    _("Removed invisible control characters from “%s”.") % clean_name(name),
                    clean_name(name),
                )
            )
        if name == "q" and any(REPLACEMENT in value for value in values):
            # Django leaves a replacement mark where the bytes were not UTF-8.
            values = [value.replace(REPLACEMENT, "") for value in values]
            notices.append(Notice(_("Removed bytes that are not valid text from “q”."), "q"))
        if name in fixed:
            notices.append(Notice(_("Ignored “%s”: this page is already about one.") % name, name))
        elif name in definitions:
            query.filters[name] = definitions[name].clean(values, vocabulary, notices)
        elif name == "q":
            query.q = clean_text(values, notices)
        elif name == "sort":
            query.sort = clean_single(name, values, notices, lambda v: v if v in SORTS else None)
        elif name == "page":
            query.page = clean_single(name, values, notices, parse_page) or 1
        elif name == "show":
            show = clean_single(name, values, notices, lambda v: facet_of(v, definitions, fixed))
            query.show = show or ""
        else:
            notices.append(
                Notice(
                    _("Ignored the unknown parameter “%s”.") % clean_name(name), clean_name(name)
                )
            )
    query.filters = {name: values for name, values in query.filters.items() if values}
    if query.sort == "relevance" and not query.q:
        query.sort = "newest"
    if not query.sort:
        query.sort = query.default_sort
    return query


def clean_name(name):
    return strip_control_characters(name)[:40]


def clean_text(values, notices):
    if len(values) > 1:
        notices.append(Notice(_("Searched for the first “q” only."), "q"))
    text = " ".join(values[0].split())
    if len(text) > search.MAX_QUERY_LENGTH:
        notices.append(
            Notice(
                _("Shortened the search to its first %d characters.") % search.MAX_QUERY_LENGTH,
                "q",
            )
        )
        # Cut between words, so that no half word is searched for.
        cut = text[: search.MAX_QUERY_LENGTH + 1]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut[: search.MAX_QUERY_LENGTH]
    if text and not search.WORD.search(text):
        notices.append(
            Notice(_("Ignored the search “%s”, which has no words in it.") % text[:40], "q", text)
        )
        return ""
    if text and not search.ranks():
        notices.append(
            _(
                "This copy of the directory runs on an SQLite without full-text search (FTS5): "
                "results contain every word as typed, unranked, and other forms of a word are "
                "not found."
            )
        )
    return text


def clean_single(name, values, notices, parse):
    values = [value for value in values if value]
    if len(values) > 1:
        notices.append(Notice(_("Used the first “%s” only.") % name, name))
    if not values:
        return None
    parsed = parse(values[0].lower())
    if parsed is None:
        notices.append(
            Notice(
                _("Ignored %(name)s “%(value)s”, which is not valid.")
                % {"name": name, "value": values[0][:40]},
                name,
                values[0],
            )
        )
    return parsed


def facet_of(value, definitions, fixed):
    """The filter named, if this page has a facet for it."""
    return value if value in definitions and value not in fixed else None


def parse_page(value):
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_PAGE:
        return int(value)
    return None

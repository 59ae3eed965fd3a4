"""Content in the reader's language, or in the other one, marked as such.

    {% translated initiative "title" as title %}
    <h1{{ title.lang_attr }}>{{ title }}{{ title.mark }}</h1>

renders the French title on a French page; without one, the English title with lang="en" and a
visible "(in English)" in the page's language.
"""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()

LANGUAGE_MARKS = {"en": _("in English"), "fr": _("in French")}


class Translated(str):
    """A text that knows its language, and whether that differs from the page's."""

    def __new__(cls, text, language, page_language):
        value = super().__new__(cls, text)
        value.language = language
        value.fallback = bool(text) and language != page_language
        value.page_language = page_language
        return value

    @property
    def lang_attr(self):
        return format_html(' lang="{}"', self.language) if self.fallback else ""

    @property
    def mark(self):
        if not self.fallback:
            return ""
        return format_html(
            ' <span class="language-mark" lang="{}">({})</span>',
            self.page_language,
            LANGUAGE_MARKS[self.language],
        )


def in_language(obj, field, page_language=None):
    """The field's text in the page's language if it has one, else in the first other that does."""
    page_language = page_language or get_language() or settings.LANGUAGE_CODE
    page_language = page_language.split("-")[0]
    languages = [page_language] + [code for code, _name in settings.LANGUAGES]
    for language in dict.fromkeys(languages):
        if text := getattr(obj, f"{field}_{language}", None):
            return Translated(text, language, page_language)
    return Translated("", page_language, page_language)


@register.simple_tag
def translated(obj, field):
    return in_language(obj, field)

"""Free-text search: PostgreSQL full-text search with stemming, or word matching on SQLite.

Each initiative keeps a normalised `search_document` (title, summary, tags, organisations,
description; lower-case, without accents). On PostgreSQL a stored, GIN-indexed `search_vector`
is built from it with the stemming of the entry's language, plus unstemmed words so that names
and words of the other language still match.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, Q, Value, When

MAX_QUERY_LENGTH = 200
STEMMING = {"en": "english", "fr": "french"}
WORD = re.compile(r"\w+")


def normalise(text):
    """Lower-case, accents removed: "Réserve Civique" -> "reserve civique"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def document_for(initiative, tag_names):
    parts = [
        initiative.title,
        initiative.summary,
        " ".join(tag_names),
        initiative.facilitator.name if initiative.facilitator else "",
        initiative.other_organisations,
        initiative.description,
    ]
    return normalise("\n".join(part for part in parts if part))


def uses_full_text_search():
    return connection.vendor == "postgresql"


def refresh(queryset):
    """Rebuild the search document (and, on PostgreSQL, the vector) of these initiatives."""
    initiatives = list(queryset.select_related("facilitator").prefetch_related("tags"))
    for initiative in initiatives:
        initiative.search_document = document_for(
            initiative, [tag.name for tag in initiative.tags.all()]
        )
    queryset.model.objects.bulk_update(initiatives, ["search_document"], batch_size=1000)
    refresh_vectors(queryset.model.objects.filter(pk__in=[i.pk for i in initiatives]))


def refresh_vectors(queryset):
    if uses_full_text_search():
        queryset.update(search_vector=vector_expression())


def vector_expression():
    stemming = Case(
        *[When(language=code, then=Value(config)) for code, config in STEMMING.items()],
        default=Value("simple"),
    )
    return (
        SearchVector(F("title"), config=stemming, weight="A")
        + SearchVector(F("search_document"), config=stemming, weight="B")
        + SearchVector(F("search_document"), config="simple", weight="D")
    )


def apply(queryset, text, language):
    """Initiatives matching every word of `text`, with a `rank` when PostgreSQL can rank them."""
    words = WORD.findall(normalise(text))
    if not words:
        return queryset
    if not uses_full_text_search():
        matches = Q()
        for word in words:
            matches &= Q(search_document__contains=word)
        return queryset.filter(matches)
    phrase = " ".join(words)
    query = SearchQuery(phrase, config=STEMMING.get(language, "english")) | SearchQuery(
        phrase, config="simple"
    )
    return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))

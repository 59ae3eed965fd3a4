"""Free-text search: PostgreSQL full-text search, or SQLite's FTS5, both stemmed and ranked.

Each initiative keeps a normalised `search_document` (lower-case, without accents) in five
sections: the English title, the French title, the English summary and description, the French
ones, then the tags and organisations. On PostgreSQL a stored, GIN-indexed `search_vector` is
kept from it by a trigger (migration 0008): English sections stemmed as English, French ones as
French, the shared one by the entry's language, titles weighing most. A query is stemmed by the
rules of both languages, so "avocats" finds a French summary saying "avocat" on either page.

On SQLite, triggers keep the same sections in an FTS5 table (SearchIndex, migration 0017), its
words stemmed by Porter's English rules, which also take the plural off most French words; each
word of a query from four letters on also finds the words it starts, so that "medical" finds
"médicale". Without FTS5 in SQLite, a search finds the documents that contain every word,
unranked, and says so.
"""

import re

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, connections, router, transaction
from django.db.models import F, Q

from probono.i18n import fold

MAX_QUERY_LENGTH = 200
WORD = re.compile(r"\w+")
# Shorter words only find themselves: "law" finds no "lawyer", as on PostgreSQL.
PREFIX_FROM = 4
# The trigger splits the document here; a form feed never survives into a word.
SECTION = "\f"


def lines(*parts):
    return "\n".join(part for part in parts if part)


def document(title_en="", title_fr="", text_en="", text_fr="", shared=""):
    """The search document, in the sections the PostgreSQL trigger stems one by one."""
    sections = [title_en, title_fr, text_en, text_fr, shared]
    return SECTION.join(fold((section or "").replace(SECTION, " ")) for section in sections)


def document_for(initiative, tag_names):
    return document(
        initiative.title_en,
        initiative.title_fr,
        lines(initiative.summary_en, initiative.description_en),
        lines(initiative.summary_fr, initiative.description_fr),
        lines(
            " ".join(tag_names),
            initiative.facilitator.name if initiative.facilitator else "",
            initiative.other_organisations,
        ),
    )


def uses_full_text_search():
    return connection.vendor == "postgresql"


_indexed = {}


def ranks():
    """Whether this database ranks and stems a search: PostgreSQL does, and SQLite once
    migration 0017 has found FTS5 and built its index (looked up once per process)."""
    if connection.vendor != "sqlite":
        return True
    name = connection.settings_dict["NAME"]
    if name not in _indexed:
        from initiatives.models import SearchIndex

        table = SearchIndex._meta.db_table
        _indexed[name] = table in connection.introspection.table_names()
    return _indexed[name]


def forget_index():
    """After `migrate`, which may have built or dropped the index."""
    _indexed.clear()


class SearchIndexRouter:
    """dumpdata and loaddata leave SQLite's index to its triggers; PostgreSQL has none."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if (app_label, model_name) == ("initiatives", "searchindex") else None


def refresh(queryset):
    """Rebuild the search document of these initiatives; the database's triggers reindex it."""
    initiatives = list(queryset.select_related("facilitator").prefetch_related("tags"))
    for initiative in initiatives:
        initiative.search_document = document_for(
            initiative, [tag.name for tag in initiative.tags.all()]
        )
    queryset.model.objects.bulk_update(initiatives, ["search_document"], batch_size=1000)


def published_matches(text):
    """The ids of the published initiatives matching every word of `text`.

    On PostgreSQL from the narrow table of published vectors (migration 0012), through its GIN
    index however many match: past a few thousand the planner would read every row, not knowing
    that each vector lies out of line; and as one array, not a row each. 10 ms for a word in
    four initiatives out of five at 100 000, against 300 ms reading the initiatives' table.
    """
    from initiatives.models import Initiative, PublishedSearch, SearchIndex

    words = WORD.findall(fold(text))
    published = Initiative.objects.published()
    if words and not uses_full_text_search() and ranks():
        # A subquery, not the join that ranks: unordered, SQLite without statistics would look
        # each published initiative up in the index, 2 s at 10 000 instead of 10 ms.
        matches = SearchIndex.objects.filter(document__match=fts5_query(words))
        found = published.filter(pk__in=matches.values("initiative")).order_by()
        return list(found.values_list("pk", flat=True))
    if not uses_full_text_search() or not words:
        return list(apply(published, text).order_by().values_list("pk", flat=True))
    # SET LOCAL and the query on one connection: a replica's, if the reader's request reads one.
    database = router.db_for_read(PublishedSearch)
    with transaction.atomic(using=database), connections[database].cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        matches = PublishedSearch.objects.using(database).filter(search_vector=search_query(words))
        return matches.aggregate(ids=ArrayAgg("initiative_id", default=[]))["ids"]


def search_query(words):
    """Every word, stemmed as English or as French."""
    phrase = " ".join(words)
    return SearchQuery(phrase, config="english") | SearchQuery(phrase, config="french")


def fts5_query(words):
    """Every word, each quoted so that FTS5 reads none as its syntax ("AND", "NEAR", a column)."""
    phrases = []
    for word in words:
        phrase = '"{}"'.format(word.replace('"', '""'))
        phrases.append(f"{phrase}*" if len(word) >= PREFIX_FROM else phrase)
    return " ".join(phrases)


def apply(queryset, text):
    """Initiatives matching every word of `text`, with a `rank` where the database ranks."""
    words = WORD.findall(fold(text))
    if not words:
        return queryset
    if uses_full_text_search():
        query = search_query(words)
        rank = SearchRank(F("search_vector"), query)
        return queryset.filter(search_vector=query).annotate(rank=rank)
    if ranks():
        matches = queryset.filter(search_index__document__match=fts5_query(words))
        # bm25 is lower for a better match.
        return matches.annotate(rank=-F("search_index__rank"))
    matches = Q()
    for word in words:
        matches &= Q(search_document__contains=word)
    return queryset.filter(matches)

"""Admin searches that find what was typed: names first, accents and case ignored.

The lists searched here (organisations, networks, countries, sectors, crises, tags) hold some
hundreds of rows, so they are matched and ranked in Python: the same on PostgreSQL and SQLite,
and country names, which the database does not hold, in the editor's language.
"""

import re

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR
from django.db.models import Case, IntegerField, When

from probono.i18n import collation_key, fold

NAME_STARTS, WORD_STARTS, NAME_HOLDS, ELSEWHERE = range(4)


def name_rank(term, names):
    """How well the best of `names` matches the folded `term`, best 0; None if none holds it."""
    ranks = []
    for name in map(fold, names):
        if name.startswith(term):
            ranks.append(NAME_STARTS)
        elif re.search(rf"(?<!\w){re.escape(term)}", name):
            ranks.append(WORD_STARTS)
        elif term in name or all(word in name for word in term.split()):
            ranks.append(NAME_HOLDS)
    return min(ranks, default=None)


class RankedSearchMixin:
    """A ModelAdmin whose autocomplete and list search rank what they find: the name starts
    with the term, then a word of the name does, then the name holds it, then another searched
    field does (a description, an acronym...); ties by name.

    `search_names` are the fields holding an entry's names; the other `search_fields` are the
    "elsewhere". Sorting the list by a column keeps that order among what was found.
    """

    search_names = ["name"]
    # Whether the entries come by name even when no term was typed.
    listed_by_name = False

    def search_rank(self, request, term, entry):
        """0 to 3 as above, or None when `entry` does not match the folded `term`. Each word of
        the term may match elsewhere on its own; an empty term matches every name."""
        names = [getattr(entry, field) for field in self.search_names]
        rank = name_rank(term, names)
        if rank is not None:
            return rank
        fields = [field.lstrip("^=@") for field in self.get_search_fields(request)]
        texts = names + [getattr(entry, field) for field in fields]
        text = fold(" ".join(str(text or "") for text in texts))
        return ELSEWHERE if all(word in text for word in term.split()) else None

    def get_search_results(self, request, queryset, search_term):
        term = " ".join(fold(search_term).split())
        if not term and not self.listed_by_name:
            return queryset, False
        ranked = sorted(
            (rank, fold(entry), entry.pk)
            for entry in queryset
            if (rank := self.search_rank(request, term, entry)) is not None
        )
        if not ranked:
            return queryset.none(), False
        found = queryset.filter(pk__in=[pk for _rank, _name, pk in ranked])
        if ORDER_VAR in request.GET:
            return found, False
        by_rank = Case(
            *(When(pk=pk, then=position) for position, (_rank, _name, pk) in enumerate(ranked)),
            output_field=IntegerField(),
        )
        return found.order_by(by_rank), False


class RelatedOnlyByNameFilter(admin.RelatedOnlyFieldListFilter):
    """The related entries in use, by name in the editor's language, accents ignored: country
    codes would put Germany (DE) before France (FR)."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        return sorted(choices, key=lambda choice: collation_key(choice[1]))

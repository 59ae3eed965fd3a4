"""A new filter is one class declared on the FilterSet: it is then read from links, spelled in the
canonical URL, applied, counted in its facet, labelled and removable, with nothing else to write.
The language of the entry, here, is a filter that exists only in this test."""

import pytest
from django.test import RequestFactory

from initiatives.filters import FinderFilter, InitiativeFilter
from initiatives.finder import Finder
from initiatives.models import Initiative

pytestmark = pytest.mark.django_db


class LanguageFilter(FinderFilter):
    """Entries first written in English or in French. No queryset method and no set in the facet
    index: it filters by itself and is counted from the database."""

    title = "Language of the entry"

    def known_values(self, index):
        return [("en", "English", None), ("fr", "French", None)]

    def filter_with(self, queryset, values, vocabulary):
        return queryset.filter(language__in=values) if values else queryset


class WithLanguage(InitiativeFilter):
    language = LanguageFilter()


def finder(query, fixed=None):
    request = RequestFactory().get("/initiatives/" + query)
    return Finder(request, fixed=fixed, filterset_class=WithLanguage).paginate()


@pytest.fixture
def french(directory):
    Initiative.objects.filter(pk__in=[directory.reserve.pk, directory.hackathon.pk]).update(
        language="fr"
    )
    return directory


def test_it_reads_checks_and_spells_its_values_in_the_canonical_order(french):
    view = finder("?language=FR&language=klingon&country=fr")
    assert view.query.filters == {"country": ["FR"], "language": ["fr"]}
    assert view.query.querystring() == "?country=fr&language=fr"  # after the nine, before q
    assert view.query.notices == ["Ignored language “klingon”, which the directory does not know."]


def test_it_filters_counts_and_labels(french):
    view = finder("?language=fr")
    assert {initiative.slug for initiative in view.page} == {"reserve-civique", "ukraine-hackathon"}
    assert view.count == 2
    language = next(facet for facet in view.facets if facet.name == "language")
    assert language.title == "Language of the entry"
    assert [(option.value, option.label, option.count) for option in language.options] == [
        ("en", "English", 3),  # its own selection aside, as every facet counts
        ("fr", "French", 2),
    ]
    country = next(facet for facet in view.facets if facet.name == "country")
    assert {option.value: option.count for option in country.options} == {"fr": 2, "pl": 1}


def test_it_is_in_the_sentence_and_a_chip_removes_it(french):
    view = finder("?language=fr&kind=hackathon")
    assert view.sentence == "1 initiative (hackathon, language of the entry: French)"
    chips = {chip.label: chip.remove_url for chip in view.chips}
    assert chips["French"] == "/initiatives/?kind=hackathon"


def test_it_can_be_the_dimension_of_a_scoped_page(french):
    view = finder("?country=pl", fixed={"language": "fr"})
    assert [initiative.slug for initiative in view.page] == ["ukraine-hackathon"]
    assert "language" not in {facet.name for facet in view.facets}

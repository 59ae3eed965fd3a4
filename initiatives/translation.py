"""The fields editors write in English and French (django-modeltranslation).

History is registered here, after the translation fields exist, so that every version keeps
both languages and a revert restores both.
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from initiatives.models import Crisis, Initiative, Sector
from probono.history import OneEntryPerSave, TaggedHistory


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ["name", "description"]


@register(Crisis)
class CrisisTranslationOptions(TranslationOptions):
    fields = ["name", "description"]


@register(Initiative)
class InitiativeTranslationOptions(TranslationOptions):
    fields = ["title", "summary", "description"]


simple_history.register(Sector, records_class=OneEntryPerSave)
simple_history.register(Crisis, records_class=OneEntryPerSave)
simple_history.register(
    Initiative,
    records_class=OneEntryPerSave,
    bases=[TaggedHistory],
    excluded_fields=["search_document", "search_vector", "updated_at"],
    m2m_fields=["countries", "sectors", "partners"],
)

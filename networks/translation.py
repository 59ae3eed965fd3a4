"""The fields editors write in English and French (django-modeltranslation).

History is registered here, after the translation fields exist, so that every version keeps
both languages and a revert restores both.
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from networks.models import Facilitator, Network
from probono.history import OneEntryPerSave


@register(Network)
class NetworkTranslationOptions(TranslationOptions):
    fields = ["description"]


@register(Facilitator)
class FacilitatorTranslationOptions(TranslationOptions):
    fields = ["description"]


simple_history.register(Network, records_class=OneEntryPerSave)
simple_history.register(Facilitator, records_class=OneEntryPerSave, m2m_fields=["countries"])

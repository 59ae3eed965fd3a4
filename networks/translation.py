"""The fields editors write in English and French (django-modeltranslation).

History is registered here, after the translation fields exist, so that every version keeps
both languages and a revert restores both.
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from networks.models import Facilitator, Network


@register(Network)
class NetworkTranslationOptions(TranslationOptions):
    fields = ["description"]


@register(Facilitator)
class FacilitatorTranslationOptions(TranslationOptions):
    fields = ["description"]


simple_history.register(Network)
simple_history.register(Facilitator, m2m_fields=["countries"])

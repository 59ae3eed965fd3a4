from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class InitiativesConfig(AppConfig):
    name = "initiatives"

    def ready(self):
        from initiatives import caching, signals
        from initiatives.models import Initiative
        from networks.models import Facilitator

        post_save.connect(signals.initiative_saved, sender=Initiative)
        m2m_changed.connect(signals.initiative_tags_changed, sender=Initiative.tags.through)
        post_save.connect(signals.facilitator_saved, sender=Facilitator)

        # Any write to the directory makes every cached page and count stale at once.
        post_save.connect(caching.data_changed)
        post_delete.connect(caching.data_changed)
        m2m_changed.connect(caching.m2m_changed)

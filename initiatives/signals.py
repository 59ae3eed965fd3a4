"""Keep each initiative's search document in step with what it is found by, and record what
every write changes for readers (`changes`)."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from taggit.models import Tag

from initiatives import changes, search
from initiatives.models import Crisis, Initiative, Sector, TaggedInitiative
from networks.models import Facilitator, Membership, Network

# What public pages show: deleting one of these removes a page, and what lists it.
ENTITIES = [Initiative, Sector, Crisis, Tag, Network, Facilitator]
# What links them, written through their many-to-many managers (a deleted entity takes its
# links with it); a change here is an edit of the entries on either side.
LINKS = [
    Initiative.countries.through,
    Initiative.sectors.through,
    Initiative.partners.through,
    TaggedInitiative,
    Facilitator.countries.through,
]


def connect():
    for model in [*ENTITIES, Membership]:
        post_save.connect(saved, sender=model)
        post_delete.connect(deleted, sender=model)
    for model in LINKS:
        m2m_changed.connect(links_changed, sender=model)
    post_migrate.connect(changes.everything_changed, sender=apps.get_app_config("initiatives"))

    post_save.connect(initiative_saved, sender=Initiative)
    m2m_changed.connect(initiative_tags_changed, sender=TaggedInitiative)
    post_save.connect(facilitator_saved, sender=Facilitator)


def was_public(initiative):
    """As last read from or written to the database; an instance built otherwise (a history
    revert, say) may stand for a published initiative."""
    return getattr(initiative, "stored_status", None) != Initiative.Status.DRAFT


def saved(sender, instance, created=False, **kwargs):
    if sender is not Initiative:
        changes.record()
        return
    public_before = not created and was_public(instance)
    public_after = instance.is_published
    instance.stored_status = instance.status
    if public_before or public_after:
        changes.record(removal=public_before and not public_after)


def deleted(sender, instance, **kwargs):
    if sender is Initiative and not was_public(instance):
        return
    changes.record(removal=sender in ENTITIES)


def links_changed(sender, instance, action, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Initiative) and not (instance.is_published or was_public(instance)):
        return
    changes.record()


def initiative_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.refresh(Initiative.objects.filter(pk=instance.pk))


def initiative_tags_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Initiative):
        search.refresh(Initiative.objects.filter(pk=instance.pk))


def facilitator_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        search.refresh(Initiative.objects.filter(facilitator=instance))

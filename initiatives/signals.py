"""Keep each initiative's search document in step with what it is found by, and record what
every write changes for readers (`changes`)."""

from django.apps import apps
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from taggit.models import Tag

from initiatives import changes, search
from initiatives.models import (
    Crisis,
    FacetIndexQueue,
    Initiative,
    Sector,
    Source,
    TaggedInitiative,
)
from networks.models import EmbedPartner, Facilitator, Membership, Network
from probono.shared_cache import LISTS, key

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
    post_migrate.connect(migrated, sender=apps.get_app_config("initiatives"))

    # A source is shown on its initiative's page only: no list or count changes.
    post_save.connect(source_changed, sender=Source)
    post_delete.connect(source_changed, sender=Source)

    post_save.connect(initiative_saved, sender=Initiative)
    m2m_changed.connect(initiative_tags_changed, sender=TaggedInitiative)
    post_save.connect(facilitator_saved, sender=Facilitator)

    post_save.connect(embed_partner_changed, sender=EmbedPartner)
    post_delete.connect(embed_partner_changed, sender=EmbedPartner)


def was_public(initiative):
    """As last read from or written to the database; an instance built otherwise (a history
    revert, say) may stand for a published initiative."""
    return getattr(initiative, "stored_status", None) != Initiative.Status.DRAFT


def saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        # loaddata: rows as they were dumped, their links loaded apart.
        changes.record(removal=True, everything=True)
    elif sender is Membership:
        changes.record(initiatives=led_by(instance.facilitator_id), keys=membership_keys(instance))
    elif sender is not Initiative:
        # A name or a description: no initiative changes set.
        changes.record(keys=[LISTS, entity_key(instance)])
    else:
        public_before = not created and was_public(instance)
        public_after = instance.is_published
        instance.stored_status = instance.status
        if public_before or public_after:
            removal = public_before and not public_after
            changes.record(
                removal=removal, initiatives=[instance.pk], keys=[LISTS, entity_key(instance)]
            )


def entity_key(instance):
    """The surrogate key of an initiative, sector, crisis, tag, network or facilitator."""
    return key(instance._meta.model_name, instance.pk)


def membership_keys(membership):
    return [
        LISTS,
        key("facilitator", membership.facilitator_id),
        key("network", membership.network_id),
    ]


def embed_partner_changed(**kwargs):
    """A partner's origins and colour are in its embeds' cached pages and headers: one made
    inactive, or whose origins were narrowed, must not be framed a minute longer."""
    changes.record(removal=True, keys=[LISTS])


def deleted(sender, instance, **kwargs):
    if sender is Membership:
        changes.record(initiatives=led_by(instance.facilitator_id), keys=membership_keys(instance))
    elif sender is not Initiative:
        # Rare: a sector, crisis, tag, network or facilitator, with its links.
        changes.record(removal=True, everything=True)
    elif was_public(instance):
        changes.record(removal=True, initiatives=[instance.pk], keys=[LISTS, entity_key(instance)])


def links_changed(sender, instance, action, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Initiative):
        if instance.is_published or was_public(instance):
            changes.record(initiatives=[instance.pk], keys=[LISTS, entity_key(instance)])
    elif model is not Initiative:
        changes.record(keys=[LISTS, entity_key(instance)])  # a facilitator's countries
    elif pk_set is None:
        changes.record(everything=True)  # e.g. sector.initiatives.clear()
    else:
        changes.record(initiatives=pk_set, keys=[LISTS, *(key("initiative", pk) for pk in pk_set)])


def source_changed(sender, instance, raw=False, **kwargs):
    changes.record(removal=raw, everything=raw, keys=[key("initiative", instance.initiative_id)])


def led_by(facilitator_id):
    """The initiatives whose network sets follow the facilitator's memberships."""
    return list(Initiative.objects.filter(facilitator=facilitator_id).values_list("pk", flat=True))


def migrated(using, **kwargs):
    """Data migrations write through historical models, which send no signals of ours; and
    migrations may build or drop SQLite's search index."""
    search.forget_index()
    if FacetIndexQueue._meta.db_table in connections[using].introspection.table_names():
        changes.everything_changed()


def initiative_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.refresh(Initiative.objects.filter(pk=instance.pk))


def initiative_tags_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Initiative):
        search.refresh(Initiative.objects.filter(pk=instance.pk))


def facilitator_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        search.refresh(Initiative.objects.filter(facilitator=instance))

"""What a write changes for readers, made visible once its transaction has committed.

Signals record every change to what the public pages show; the transaction's first change asks
Django to `publish` after the commit, and that publication is one, however many rows changed. A
reader whose request began before the commit renders what it read then, but it keeps the result
under the versions of that moment, which the publication leaves behind.

Each change also names the surrogate keys of what it changed, which shared caches in front of
the site are purged of (`probono.shared_cache`) once the versions have moved.

A change is an *edit* (readers may see the previous version for a short while:
`probono.caching`) or a *removal*: an initiative unpublished or deleted, or a sector, crisis,
network, facilitator or tag deleted, or an embed partner saved or deleted (its origins are its
lists' framing policy). After a removal no response may show what was removed.
"""

import logging
import threading

from django.db import DatabaseError, transaction

from initiatives import facet_index
from probono import caching, replicas, shared_cache

logger = logging.getLogger(__name__)


class Pending(threading.local):
    """The changes of this thread's transaction not yet published."""

    def __init__(self):
        self.changed = False
        self.removal = False
        self.everything = False
        self.keys = set()


_pending = Pending()


def record(removal=False, initiatives=(), everything=False, keys=()):
    """A change of this transaction; `initiatives` whose facet sets it may change, or
    `everything`; `keys`, the surrogate keys of what it changed. The facet index's queue is
    written now, in the transaction."""
    if everything and not _pending.everything:
        facet_index.queue_everything()
    elif initiatives and not everything:
        facet_index.queue(initiatives)
    _pending.everything |= everything
    _pending.changed = True
    _pending.removal |= removal
    _pending.keys.update([shared_cache.EVERYTHING] if everything else keys)
    # Registered for each change, since a rolled-back savepoint drops the callbacks made in
    # it; `publish` runs once per commit all the same, and later calls find nothing pending.
    transaction.on_commit(publish)


def publish():
    """The facet sets first, then the versions: a reader of the new version counts with the
    new sets."""
    if not _pending.changed:
        return
    removal, everything, keys = _pending.removal, _pending.everything, _pending.keys
    _pending.__init__()
    try:
        facet_index.refresh(everything)
    except DatabaseError:
        # The queue keeps what is left to do, and the next reader does it (facet_index.current).
        logger.exception("The facet index could not be refreshed after a commit.")
    # Before the versions move: a reader of the new versions reads no replica that is behind.
    replicas.record_position()
    caching.data_changed(removal=removal)
    shared_cache.purge(with_linked_keys(keys), caching.data_version())


def with_linked_keys(keys):
    """`keys` and, for each initiative among them, what the pages that may come to suggest it
    are tagged with: its lead, network, countries and sectors (`related_to`)."""
    from initiatives.models import Initiative

    prefix = shared_cache.key("initiative", "")
    ids = [int(name.removeprefix(prefix)) for name in keys if name.startswith(prefix)]
    if not ids or len(ids) > shared_cache.MAX_KEYS or shared_cache.EVERYTHING in keys:
        return keys
    links = {
        "facilitator": Initiative.objects.filter(pk__in=ids, facilitator__isnull=False),
        "network": Initiative.objects.filter(pk__in=ids, network__isnull=False),
        "country": Initiative.countries.through.objects.filter(initiative__in=ids),
        "sector": Initiative.sectors.through.objects.filter(initiative__in=ids),
    }
    try:
        return set(keys) | {
            shared_cache.key(kind, value)
            for kind, rows in links.items()
            for value in rows.values_list(kind, flat=True).distinct()
        }
    except DatabaseError:
        logger.exception("The links of changed initiatives could not be read: purging all.")
        return {shared_cache.EVERYTHING}


def everything_changed(**kwargs):
    """After a bulk load that sends no signals, or `migrate` (data migrations)."""
    record(removal=True, everything=True)

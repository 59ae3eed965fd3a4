"""What a write changes for readers, made visible once its transaction has committed.

Signals record every change to what the public pages show; the transaction's first change asks
Django to `publish` after the commit, and that publication is one, however many rows changed. A
reader whose request began before the commit renders what it read then, but it keeps the result
under the versions of that moment, which the publication leaves behind.

A change is an *edit* (readers may see the previous version for a short while, `caching`) or a
*removal*: an initiative unpublished or deleted, or a sector, crisis, network, facilitator or tag
deleted. After a removal no response may show what was removed.
"""

import threading

from django.db import transaction


class Pending(threading.local):
    """The changes of this thread's transaction not yet published."""

    def __init__(self):
        self.changed = False
        self.removal = False


_pending = Pending()


def record(removal=False):
    _pending.changed = True
    _pending.removal |= removal
    # Registered for each change, since a rolled-back savepoint drops the callbacks made in
    # it; `publish` runs once per commit all the same, and later calls find nothing pending.
    transaction.on_commit(publish)


def publish():
    if not _pending.changed:
        return
    removal = _pending.removal
    _pending.__init__()
    from initiatives import caching

    caching.data_changed(removal=removal)


def everything_changed(**kwargs):
    """After `migrate` (data migrations) or a bulk load that sends no signals."""
    record(removal=True)

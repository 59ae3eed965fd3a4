"""Reads from PostgreSQL's streaming replicas (DATABASE_REPLICA_URLS), never behind the caches.

A replica replays the primary's WAL a little after each commit. A page rendered from a replica
that has not replayed a write yet, but kept under the versions that write moved, would stay
stale in the page cache and in shared caches until the next write. So every publication records
the primary's WAL position before it moves the versions (`record_position`), and a reader's
query goes to a replica only once that replica has replayed past the last position recorded;
otherwise to the primary. The check is made again before each query (one Redis read): a request
that chose its replica early may read the versions of a later write afterwards.

Only requests the page cache could keep for readers read replicas; writes, staff, the admin and
everything outside a request (management commands) use the primary. A request that may have
written (any method but GET, HEAD and OPTIONS) records the position too, so that its author's
next page shows the write.
"""

import contextvars
import functools
import logging
import random
import time

import redis
from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
POSITION_KEY = "directory:wal-position"
# A replica that failed to answer is left alone this long before it is asked again.
RESTING_FOR = 5.0
POSITION_SQL = (
    "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
    " ELSE pg_current_wal_lsn() END) - '0/0'::pg_lsn"
)

_reads = contextvars.ContextVar("replica_reads", default=None)
_resting_until = {}


@functools.cache
def positions():
    """The Redis that holds the position, the versions' own (CACHE_URL)."""
    location = settings.CACHES["versions"]["LOCATION"]
    options = settings.CACHES["versions"].get("OPTIONS", {})
    return redis.Redis.from_url(location, **options)


def record_position():
    """Record the primary's WAL position, after a commit and before readers are told of it.
    ZADD GT keeps the highest of two recorded at once, in whichever order they arrive."""
    if not settings.DATABASE_REPLICAS:
        return
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute(POSITION_SQL)
            position = int(cursor.fetchone()[0])
        positions().zadd(POSITION_KEY, {"primary": position}, gt=True)
    except (DatabaseError, redis.RedisError):
        logger.exception("The primary's WAL position could not be recorded.")


def required_position():
    """The last position recorded, 0 if none; None if Redis cannot say (read the primary)."""
    try:
        return int(positions().zscore(POSITION_KEY, "primary") or 0)
    except redis.RedisError:
        logger.warning("The WAL position could not be read: reading the primary.")
        return None


def replayed_position(alias):
    """How far a replica has replayed; None if it cannot be asked."""
    if _resting_until.get(alias, 0) > time.monotonic():
        return None
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(POSITION_SQL)
            replayed = cursor.fetchone()[0]
    except DatabaseError:
        logger.warning("The replica %s did not answer; reading elsewhere.", alias, exc_info=True)
        _resting_until[alias] = time.monotonic() + RESTING_FOR
        connections[alias].close()
        return None
    return None if replayed is None else int(replayed)


class Reads:
    """A reader's request: the replica it reads, or the primary once no replica would do (never a
    replica again then, so that no page mixes newer rows with older ones)."""

    def __init__(self):
        self.replica, self.replayed, self.on_primary = None, -1, False

    def database(self):
        if self.on_primary:
            return PRIMARY
        required = required_position()
        if required is not None:
            if self.replica and self.replayed >= required:
                return self.replica
            for alias in [self.replica] if self.replica else shuffled(settings.DATABASE_REPLICAS):
                replayed = replayed_position(alias)
                if replayed is not None and replayed >= required:
                    self.replica, self.replayed = alias, replayed
                    return alias
        self.on_primary = True
        return PRIMARY


def shuffled(aliases):
    return random.sample(aliases, len(aliases))


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reads = _reads.get()
        return reads.database() if reads is not None else None

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same rows: an object read from a replica may point at one
        # read from the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db in settings.DATABASE_REPLICAS else None


def replica_reads(get_response):
    """Let a reader's request read replicas; record the position after any other."""
    from probono.caching import PageCacheMiddleware

    def middleware(request):
        if not settings.DATABASE_REPLICAS:
            return get_response(request)
        reader = PageCacheMiddleware.cacheable_request(request)
        token = _reads.set(Reads() if reader else None)
        try:
            response = get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            record_position()
        return response

    return middleware

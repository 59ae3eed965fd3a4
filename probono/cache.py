"""Django's Redis cache backend, with one redis-py client per connection pool, that fails soft.

Django builds a new `redis.Redis` for every cache operation, and redis-py fills its table of
response callbacks each time: about 50 µs, half as long as a GET over loopback, which a page
served from the cache pays two or three times.

Everything the site keeps in Redis can be worked out again, so a Redis that is down, too slow
or full (`maxmemory` with `noeviction`) must cost readers time, never a 500: reads then find
nothing, writes keep nothing, and each failure is logged (docs/operations.md: Redis).
"""

import functools
import logging

from django.core.cache.backends import redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if (client := self._clients.get(id(pool))) is None:
            # A redis.Redis is safe to share: each command borrows a connection from the pool.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


def failing_soft(answer):
    """The backend's method, answering `answer(*its arguments)` when Redis fails."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                logger.warning("Cache %s failed: %r", method.__name__, error)
                return answer(*args, **kwargs)

        return wrapper

    return decorator


def nothing(*args, **kwargs):
    return None


def refused(*args, **kwargs):
    return False


def missing(key, default=None, version=None):
    return default


def unknown_counter(*args, **kwargs):
    # What Django's backends raise for a key they do not have: callers count afresh or fail
    # open (django-ratelimit).
    raise ValueError("The cache is unavailable.")


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    get = failing_soft(missing)(redis.RedisCache.get)
    get_many = failing_soft(lambda keys, version=None: {})(redis.RedisCache.get_many)
    has_key = failing_soft(refused)(redis.RedisCache.has_key)
    add = failing_soft(refused)(redis.RedisCache.add)
    set = failing_soft(nothing)(redis.RedisCache.set)
    set_many = failing_soft(lambda data, *args, **kwargs: list(data))(redis.RedisCache.set_many)
    touch = failing_soft(refused)(redis.RedisCache.touch)
    delete = failing_soft(refused)(redis.RedisCache.delete)
    delete_many = failing_soft(nothing)(redis.RedisCache.delete_many)
    incr = failing_soft(unknown_counter)(redis.RedisCache.incr)

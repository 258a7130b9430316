"""A Redis cache that fails open.

When Redis is down the site must keep answering from the database: a cache read
becomes a miss and a write is dropped, each logged (at most once a minute, so an
outage does not flood the logs), and Redis is left alone for a few seconds before
it is tried again. Django's RedisCache raises instead.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


# After a failure, Redis is not asked again for this long: a hung Redis would
# otherwise cost every cache call its full socket timeout, several per page.
COOL_OFF_SECONDS = 5.0


class FailOpenRedisCache(RedisCache):
    _last_warning = 0.0
    _down_until = 0.0

    def _warn(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        FailOpenRedisCache._down_until = now + COOL_OFF_SECONDS
        if now - FailOpenRedisCache._last_warning > 60:
            FailOpenRedisCache._last_warning = now
            logger.warning("cache unavailable (%s failed: %s); serving without it", operation, exc)

    def _guard(self, operation: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        import redis

        if time.monotonic() < FailOpenRedisCache._down_until:
            return default
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            self._warn(operation, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._guard("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, keys, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", False, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        import redis

        if time.monotonic() < FailOpenRedisCache._down_until:
            raise ValueError("cache unavailable")
        try:
            return super().incr(key, delta, version)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            self._warn("incr", exc)
            raise ValueError("cache unavailable") from exc

    def clear(self):
        return self._guard("clear", None)

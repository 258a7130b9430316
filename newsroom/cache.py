"""A Redis cache that fails open.

When Redis is down the site must keep answering from the database: a cache read
becomes a miss and a write is dropped, each logged (at most once a minute, so an
outage does not flood the logs). Django's RedisCache raises instead.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


class FailOpenRedisCache(RedisCache):
    _last_warning = 0.0

    def _warn(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - FailOpenRedisCache._last_warning > 60:
            FailOpenRedisCache._last_warning = now
            logger.warning("cache unavailable (%s failed: %s); serving without it", operation, exc)

    def _guard(self, operation: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        import redis

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

        try:
            return super().incr(key, delta, version)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            self._warn("incr", exc)
            raise ValueError("cache unavailable") from exc

    def clear(self):
        return self._guard("clear", None)

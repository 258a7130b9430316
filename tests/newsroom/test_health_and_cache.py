"""/healthz reports each dependency; the Redis cache fails open when Redis is down."""

import logging

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCacheClient

from newsroom.cache import FailOpenRedisCache


@pytest.mark.django_db
def test_healthz_reports_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert "broker" in body["checks"]


def test_cache_on_an_unreachable_redis_fails_open(caplog):
    # Nothing listens on port 1: every operation fails to connect.
    cache = FailOpenRedisCache(
        "redis://127.0.0.1:1/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )
    FailOpenRedisCache._last_warning = 0.0
    FailOpenRedisCache._down_until = 0.0
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        assert cache.get("page") is None
        assert cache.get("page", "fallback") == "fallback"
        cache.set("page", "body", 30)
        assert cache.add("page", "body") is False
        assert cache.get_many(["a", "b"]) == {}
        cache.delete("page")
    assert "cache unavailable" in caplog.text
    # Logged once, not once per call: an outage must not flood the logs.
    assert caplog.text.count("cache unavailable") == 1


def test_default_cache_round_trip():
    cache = caches["default"]
    cache.set("k", {"v": 1}, 30)
    assert cache.get("k") == {"v": 1}


def test_a_failed_redis_is_left_alone_for_a_few_seconds(monkeypatch):
    cache = FailOpenRedisCache(
        "redis://127.0.0.1:1/0",
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )
    # Count the calls that reach the Redis client, i.e. that may wait on a socket.
    asked = []
    ask_redis = RedisCacheClient.get
    monkeypatch.setattr(
        RedisCacheClient,
        "get",
        lambda client, *args: asked.append(args) or ask_redis(client, *args),
    )
    FailOpenRedisCache._down_until = 0.0
    try:
        assert cache.get("first") is None  # fails and starts the cool-off
        assert len(asked) == 1
        for _ in range(20):
            assert cache.get("page", "miss") == "miss"
        # Twenty calls during the cool-off: misses, and Redis was not asked once.
        assert len(asked) == 1
        FailOpenRedisCache._down_until = 0.0  # the cool-off is over
        cache.get("again")
        assert len(asked) == 2
    finally:
        FailOpenRedisCache._down_until = 0.0

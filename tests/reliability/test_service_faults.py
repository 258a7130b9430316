"""Service faults seen by readers: with Redis down, the site still answers from the database.

The cache is pointed at a redis-server of our own, which the test then kills (a crash)
or freezes with SIGSTOP (a hung server: connections open, nothing answers). Reader
pages, signing in and saving a favorite keep working; /healthz names the broken
dependency and still answers 200, because the site can serve without it.
"""

from __future__ import annotations

import logging
import signal
import time

import pytest
from django.urls import reverse

from favorites.models import Favorite
from newsroom.cache import FailOpenRedisCache
from tests.factories import make_article
from tests.reliability.faults import RedisServer

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def redis_cache(settings, tmp_path):
    """The default cache on a throwaway Redis, configured as production configures it."""
    with RedisServer(tmp_path) as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "newsroom.cache.FailOpenRedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
                "KEY_PREFIX": "faults",
                "TIMEOUT": 300,
            }
        }
        # The warning is rate-limited per process; start each test with a fresh minute.
        FailOpenRedisCache._last_warning = 0.0
        yield server
        if server.handle is not None:
            server.handle.send_signal(signal.SIGCONT)  # a frozen server must be able to die


def _break(server: RedisServer, how: str) -> None:
    if how == "killed":
        server.kill()
    else:
        server.handle.send_signal(signal.SIGSTOP)


@pytest.fixture
def article(db):
    return make_article(title="Inference is getting cheaper", topic="ai")


@pytest.mark.parametrize("how", ["killed", "frozen"])
def test_reader_pages_answer_from_the_database_with_redis_down(
    client, redis_cache, article, how, caplog
):
    assert client.get("/healthz").json()["checks"]["cache"] == "ok"
    _break(redis_cache, how)
    pages = ["/", "/topics/", article.get_absolute_url(), reverse("feed_latest")]
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        for url in pages:
            started = time.monotonic()
            response = client.get(url)
            assert response.status_code == 200, url
            assert time.monotonic() - started < 5, f"{url} waited on the dead cache"
        assert article.title.encode() in client.get(article.get_absolute_url()).content

        started = time.monotonic()
        health = client.get("/healthz")
        elapsed = time.monotonic() - started
    body = health.json()
    # Degraded, not down: a load balancer keeps sending readers here.
    assert health.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("error")
    assert elapsed < 5  # two cache calls, each bounded by the 0.5 s socket timeouts
    assert "cache unavailable" in caplog.text  # failing open is logged, once a minute


def test_healthz_reports_a_dead_broker_separately(client, settings, redis_cache):
    settings.REDIS_URL = redis_cache.url
    assert client.get("/healthz").json()["checks"]["broker"] == "ok"
    redis_cache.kill()
    body = client.get("/healthz").json()
    assert body["checks"]["broker"].startswith("error")
    assert body["checks"]["cache"].startswith("error")
    assert body["checks"]["database"] == "ok"


def test_sign_in_and_favorites_work_with_redis_down(
    client, settings, redis_cache, article, django_user_model
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reader = django_user_model.objects.create_user("reader", "reader@example.org", PASSWORD)
    redis_cache.kill()

    # Through the real sign-in form: sessions and the lockout counter live in the database.
    response = client.post(reverse("login"), {"username": "reader", "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]

    url = reverse("favorite_toggle", args=[article.slug])
    response = client.post(url, {"action": "add"})
    assert response.status_code < 500
    assert Favorite.objects.filter(user=reader, article=article).exists()
    assert client.get(reverse("favorite_list")).status_code == 200

    response = client.post(url, {"action": "remove"})
    assert response.status_code < 500
    assert not Favorite.objects.filter(user=reader, article=article).exists()

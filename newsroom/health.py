"""/healthz: one line per dependency, so an operator or a load balancer can tell what is down."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    cache.set("healthz", "1", 5)
    if cache.get("healthz") != "1":
        return "error: cache did not return what was stored"
    return "ok"


def _check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if url == "memory://":
        return "eager (no broker configured)"
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis

        redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
        return "ok"
    # Another broker (RabbitMQ): one connection attempt, no retries, so that a dead
    # broker costs the health check a second at most.
    from kombu import Connection

    with Connection(url, connect_timeout=1) as broker:
        broker.ensure_connection(max_retries=0)
    return "ok"


def healthz(request: HttpRequest) -> JsonResponse:
    checks = {}
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("broker", _check_broker),
    ):
        try:
            checks[name] = check()
        except Exception as exc:  # a health check reports every failure, whatever its type
            logger.warning("healthz: %s failed: %s", name, exc)
            checks[name] = f"error: {exc.__class__.__name__}"
    healthy = checks["database"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )

"""Shared test set-up.

Services: tests marked `postgres` or `celery` need the database to be PostgreSQL
(DATABASE_URL); tests marked `redis` or `celery` need REDIS_URL. Outside CI a
missing service deselects or skips them with the reason printed; in CI
(CI=true) a missing service is a failure, never a skip.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 0), 2):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    """Every test: a connection beyond this machine fails loudly. Feeds, transcripts,
    LLM and speech-to-text servers in tests are real servers on 127.0.0.1."""
    from tests.network import forbid_network

    forbid_network(monkeypatch)


def pytest_collection_modifyitems(config, items):
    for item in items:
        # Transactional tests empty every table when they end, which would take the
        # rows our data migrations create (topics, the Editors group, the beat
        # schedule) away from the tests that follow: restore them instead.
        names = getattr(item, "fixturenames", [])
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and (
            marker.kwargs.get("transaction") or (marker.args[:1] == (True,))
        )
        if (transactional or "transactional_db" in names or "live_server" in names) and (
            "django_db_serialized_rollback" not in names
        ):
            names.append("django_db_serialized_rollback")
    on_postgres = settings.DATABASE_IS_POSTGRES
    redis_url = settings.REDIS_URL
    keep, dropped = [], []
    for item in items:
        needs_pg = item.get_closest_marker("postgres") or item.get_closest_marker("celery")
        needs_redis = item.get_closest_marker("redis") or item.get_closest_marker("celery")
        if (needs_pg and not on_postgres) or (needs_redis and not redis_url):
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.write_line(
                f"newsroom: {len(dropped)} tests need PostgreSQL/Redis and run in the "
                "DATABASE_URL=postgres… REDIS_URL=redis… pass (.ci/run does both)."
            )


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return [
        f"newsroom: database={db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or db['NAME']}",
        "newsroom: redis=" + (settings.REDIS_URL or "none (tasks run eagerly, local-memory cache)"),
    ]


def pytest_sessionstart(session):
    problems = []
    if settings.DATABASE_IS_POSTGRES:
        db = settings.DATABASES["default"]
        if not _reachable(f"pg://{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"):
            problems.append("PostgreSQL is not reachable at DATABASE_URL")
    if settings.REDIS_URL and not _reachable(settings.REDIS_URL):
        problems.append(f"Redis is not reachable at {settings.REDIS_URL}")
    if problems:
        message = "; ".join(problems)
        if IN_CI:
            pytest.exit(f"CI: a required service is missing: {message}", returncode=3)
        pytest.exit(f"a configured service is missing: {message}", returncode=3)


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache_prefix(worker_id):
    """Each xdist worker gets its own cache key space on a shared Redis."""
    from django.core.cache import caches

    for alias in settings.CACHES:
        settings.CACHES[alias]["KEY_PREFIX"] = f"test-{worker_id}"
        # A cache object made before now (collection touches `cache` in the modules that
        # import it) still has the old prefix: drop it, so the next use builds one with
        # this one, and _clear_cache clears what the tests really wrote.
        with contextlib.suppress(AttributeError):
            del caches[alias]
    yield


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in the default language: a French request in an earlier test
    leaves French active in the thread, as Django's locale middleware does."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from newsroom.cache import FailOpenRedisCache

    # A test that stopped Redis must not leave the next one in the cache's cool-off.
    FailOpenRedisCache._down_until = 0.0
    _clear(cache)
    yield
    _clear(cache)


def _clear(cache) -> None:
    if settings.REDIS_URL:
        # Only this worker's keys: flushing the whole Redis database would wipe the
        # keys of the other xdist workers mid-test.
        client = cache._cache.get_client(write=True)
        prefix = settings.CACHES["default"]["KEY_PREFIX"]
        keys = list(client.scan_iter(f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture
def editor(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "editor-pass-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


# One Playwright per test, started after the database is set up and stopped before it
# is emptied: its event loop must not be running while pytest-django flushes or
# restores the database (Django would then use another connection for it).
@pytest.fixture
def browser(transactional_db):
    """Debian's Chromium, headless, through Playwright (see testing/browser.py).

    Without Chromium the test is skipped, except in CI, where that is a failure.
    """
    from testing.browser import CHROMIUM, launch_chromium

    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()

"""Load is held: 60 s at 32 connections over a mix of reader pages, with no error and
no memory growth in the web workers.

The site runs as in production (gunicorn, 2 sync workers, DEBUG=0, PostgreSQL, Redis
when REDIS_URL is set) on the test database, seeded with a few hundred articles by
the factories. The page cache is off, so that every request runs the view, the
queries and the templates: a leak or an error there cannot hide behind cached pages.
wrk (the performance harness's driver, testing/wrk.py) rotates over Today, topics, an
archive month, articles and searches; after a warm-up, each worker's resident memory
(VmRSS) is read, then again after the 60 s.

The figures go to test-artifacts/load.json and are quoted in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from articles.events import batched
from ingestion.models import Source
from testing.services import Gunicorn, apt_install, children, fetch, manage
from testing.wrk import run_wrk
from tests.factories import make_article, make_source
from topics.models import Topic

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    # Restores the migrated rows (topics) that an earlier transactional test emptied.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Alone on its xdist worker's turn: the other worker's tests are load enough.
    pytest.mark.xdist_group("load"),
]

ROOT = Path(settings.BASE_DIR)

ARTICLES = 240
DAYS = 12
DURATION = int(os.environ.get("LOAD_SECONDS", "60"))
WARMUP = 10
CONNECTIONS = 32
WORKERS = 2
# Growth allowed per worker between the warm-up and the end: allocator noise, not a leak.
MAX_GROWTH_KIB = 20 * 1024
MAX_GROWTH_SHARE = 0.10
SEARCHES = ["model", "release", "gpu", "open+weights", "data", "security", "rust+-go"]


def seed() -> dict[str, list[str]]:
    """A few hundred published articles over DAYS days, in a handful of topics."""
    topics = list(Topic.objects.order_by("order")[:4])
    sources = [
        make_source(kind=Source.Kind.YOUTUBE if n % 3 == 0 else Source.Kind.PODCAST)
        for n in range(8)
    ]
    words = "model release gpu open weights data security rust go chips cloud".split()
    now = timezone.now()
    # One transaction and one search-index pass at the end: row by row, with a commit
    # and a re-index per saved part, seeding would take longer than the load itself.
    with transaction.atomic(), batched():
        articles = [make(n, words, now, sources, topics) for n in range(ARTICLES)]
    month = articles[0].published_at
    return {
        "today": ["/", "/fr/"],
        "topic": [t.get_absolute_url() for t in topics],
        "archive": [f"/archives/{month:%Y}/{month:%m}/", "/archives/"],
        "article": [a.get_absolute_url() for a in articles[::5]],
        "search": [f"/search/?q={q}" for q in SEARCHES],
    }


def make(n: int, words: list[str], now, sources, topics):
    """Article n: a theme of three words, twelve transcript segments, two tags."""
    theme = " ".join(words[(n + k) % len(words)] for k in range(3))
    transcript = [
        {
            "start": 6.0 * i,
            "end": 6.0 * (i + 1),
            "speaker": "Host" if i % 2 else "Guest",
            "text": f"Segment {i} of episode {n}: the {theme} story, told at some length.",
        }
        for i in range(12)
    ]
    return make_article(
        title=f"Episode {n}: {theme}",
        source=sources[n % len(sources)],
        topic=topics[n % len(topics)],
        published_at=now - timedelta(days=n % DAYS, minutes=n),
        tldr=f"What episode {n} says about {theme}.",
        transcript=transcript,
        tags=tuple(words[(n + k) % len(words)] for k in range(2)),
        score=5 + (n % 50) / 10,
    )


def mix(pages: dict[str, list[str]]) -> list[str]:
    """One of each kind in turn, so every kind gets the same share of the requests."""
    longest = max(len(paths) for paths in pages.values())
    return [paths[i % len(paths)] for i in range(longest) for paths in pages.values()]


def database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def run_load(base_url: str, paths: list[str], *, duration: int, workdir: Path) -> dict:
    """The benchmark's wrk script (rotating over `paths`, a JSON summary at the end),
    with a 30 s request timeout instead of its 10 s: on a loaded 2-core machine 32
    queued connections may wait several seconds each, and a slow answer is not an error.
    """
    return run_wrk(
        base_url,
        paths,
        duration=duration,
        connections=CONNECTIONS,
        threads=2,
        workdir=workdir,
        request_timeout=30,
    )


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        apt_install("wrk")
    if not shutil.which("wrk"):
        message = "wrk is missing (apt-get install -y wrk)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)


def test_sixty_seconds_at_32_connections_without_errors_or_memory_growth(tmp_path):
    ensure_wrk()
    pages = seed()
    paths = mix(pages)
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "PAGE_CACHE": "0",
        "CACHE_KEY_PREFIX": f"load-{secrets.token_hex(4)}",
        "LOG_LEVEL": "WARNING",
    }
    # Production serves static files from the collected manifest; a missing or stale
    # one would turn every page into a 500 that has nothing to do with load.
    manage(env, "collectstatic", "--noinput", "-v", "0")

    log = tmp_path / "gunicorn.log"
    server = Gunicorn(env, WORKERS, 1, log)
    server.start()
    try:
        for path in paths:
            status, _ = fetch(server.url + path)
            assert status == 200, f"{path} answered {status} before the load"
        status, body = fetch(server.url + "/search/?q=model")
        assert b"Episode" in body, "the search index is empty: searches would measure nothing"
        run_load(server.url, paths, duration=WARMUP, workdir=tmp_path)
        workers = sorted(children(server.process.pid))
        assert len(workers) == WORKERS, workers
        before = {pid: rss_kib(pid) for pid in workers}
        result = run_load(server.url, paths, duration=DURATION, workdir=tmp_path)
        after = {pid: rss_kib(pid) for pid in workers}
        # The same workers are still there: gunicorn silently replaces one that died
        # (and its memory with it), which would hide both a crash and a leak.
        assert sorted(children(server.process.pid)) == workers
    finally:
        server.stop()

    growth = {pid: after[pid] - before[pid] for pid in workers}
    figures = {
        "duration_s": DURATION,
        "connections": CONNECTIONS,
        "workers": WORKERS,
        "articles": ARTICLES,
        "urls": len(set(paths)),
        "database": "postgresql",
        "cache": "redis" if os.environ.get("REDIS_URL") else "local memory",
        **{k: result[k] for k in ("requests", "rps", "p50_ms", "p99_ms", "max_ms", "errors")},
        "error_detail": result["error_detail"],
        "rss_before_kib": list(before.values()),
        "rss_after_kib": list(after.values()),
        "growth_kib": list(growth.values()),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
    }
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "load.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures))

    assert result["requests"] > 0
    assert result["errors"] == 0, result["error_detail"]
    logged = log.read_text() if log.exists() else ""
    assert "Traceback" not in logged and "[ERROR]" not in logged, logged[-3000:]
    for pid in workers:
        allowed = max(MAX_GROWTH_KIB, before[pid] * MAX_GROWTH_SHARE)
        assert growth[pid] <= allowed, (
            f"worker {pid} grew by {growth[pid]} KiB ({before[pid]} → {after[pid]} KiB)"
        )

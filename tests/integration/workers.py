"""Start real Celery workers and beats against the test database and a private Redis DB.

Each xdist worker uses its own Redis database number, so parallel tests never see
each other's queues.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def private_redis_url(worker_id: str) -> str:
    number = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    parts = urlsplit(settings.REDIS_URL)
    return urlunsplit(parts._replace(path=f"/{10 + number}"))


def worker_env(redis_url: str, **extra: str) -> dict[str, str]:
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "FETCH_ALLOW_HOSTS": "127.0.0.1",
        "DIGEST_LANGUAGES": "en",
        "AUTO_PUBLISH_MIN_SCORE": "0",
        "AUTO_PUBLISH_MIN_GROUNDING": "0",
        "CACHE_KEY_PREFIX": f"it-{redis_url.rsplit('/', 1)[-1]}",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    env.update(extra)
    return env


def flush(redis_url: str) -> None:
    redis.Redis.from_url(redis_url).flushdb()


class Process:
    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.handle = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "newsroom", *args],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.handle.poll() is None:
            os.killpg(self.handle.pid, sig)
        try:
            self.handle.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.handle.pid, signal.SIGKILL)
            self.handle.wait(10)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_worker(
    env: dict[str, str],
    log: Path,
    *,
    name: str = "w1",
    concurrency: int = 1,
    queues: str = "",
) -> Process:
    """A worker; `queues` ("polling,default") limits what it consumes (default: all)."""
    return Process(
        [
            "worker",
            *(["-Q", queues] if queues else []),
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "-n",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        env,
        log,
    )


def start_beat(env: dict[str, str], log: Path, schedule: Path) -> Process:
    return Process(
        [
            "beat",
            "--loglevel=INFO",
            "-s",
            str(schedule),
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--max-interval",
            "1",
        ],
        env,
        log,
    )


def wait_until(
    condition: Callable[[], bool], *, timeout: float, what: str, logs: list[Process] = ()
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    details = "\n".join(p.output()[-3000:] for p in logs)
    raise AssertionError(f"timed out waiting for {what}\n{details}")

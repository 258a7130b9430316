"""Tools for fault injection: throwaway Redis and PostgreSQL servers, and worker helpers.

A test that stops or restarts a service starts its own instance (testing/services.py:
a redis-server on a free port, a PostgreSQL cluster made with initdb in a temporary
folder), so the machine's shared services, which other tests and engineers use, are
never touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from testing.services import ROOT, MissingTool, PostgresCluster, RedisServer, wait_until

wait_for = wait_until


# --- Celery, seen from the test process ---------------------------------------------


def send_task(redis_url: str, name: str, *args: object) -> None:
    """Enqueue task `name` on the broker at `redis_url`, as beat or a web request would."""
    from newsroom.celery import app

    with app.connection_for_write(redis_url) as conn:
        app.send_task(name, args=list(args), connection=conn)


def ping(redis_url: str, timeout: float = 3.0) -> bool:
    """Whether a worker on this broker answers a control ping (its main loop is alive)."""
    from celery import Celery

    # An app of its own: the project's app would publish the ping through its
    # producer pool, which is bound to the test settings' broker, not this one.
    probe = Celery("probe", broker=redis_url, set_as_current=False)
    try:
        return bool(probe.control.ping(timeout=timeout))
    finally:
        probe.close()


def queued(redis_url: str) -> int:
    """Messages waiting in every queue (polling, transcripts, digests, default)."""
    from django.conf import settings

    client = redis.Redis.from_url(redis_url)
    return sum(client.llen(queue.name) for queue in settings.CELERY_TASK_QUEUES)


def unacked(redis_url: str) -> int:
    """Messages delivered to a worker and not acknowledged yet (kombu's Redis transport)."""
    return redis.Redis.from_url(redis_url).hlen("unacked")


# --- throwaway services ----------------------------------------------------------------


@contextlib.contextmanager
def redis_server(directory: Path) -> Iterator[RedisServer]:
    """A redis-server of our own (killed at the end); skips where none is installed."""
    try:
        server = RedisServer(directory)
    except MissingTool as exc:
        pytest.skip(str(exc))
    with server:
        yield server


class FaultCluster(PostgresCluster):
    """A throwaway cluster with one database, `faults`, and Django run against it."""

    name = "faults"
    # A throwaway cluster needs speed, not durability across power cuts.
    SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}

    @property
    def database_url(self) -> str:
        return self.url(self.name)

    def django(self, code: str, *, timeout: float = 120) -> str:
        """Run Python with Django set up against this cluster (migrations, seeding)."""
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        }
        env.pop("REDIS_URL", None)
        env.pop("CELERY_BROKER_URL", None)
        script = "import django\ndjango.setup()\n" + code
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"Django script failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def query(self, sql: str, *params: object) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url, connect_timeout=3) as conn:
            return conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, *params: object) -> object:
        return self.query(sql, *params)[0][0]


@contextlib.contextmanager
def postgres_cluster() -> Iterator[FaultCluster]:
    # Not pytest's tmp_path: its parent is private to root, and the cluster's owner
    # (postgres) must be able to reach the folder.
    directory = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
    try:
        try:
            cluster = FaultCluster(directory, settings=FaultCluster.SETTINGS)
        except MissingTool as exc:
            pytest.skip(str(exc))
        cluster.init()
        cluster.start()
        cluster.create_database(cluster.name)
        try:
            yield cluster
        finally:
            with contextlib.suppress(Exception):
                cluster.stop("immediate")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def eventually(condition: Callable[[], bool], timeout: float, step: float = 0.2) -> bool:
    """Whether `condition` becomes true within `timeout` seconds (errors count as false)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if condition():
                return True
        time.sleep(step)
    return False

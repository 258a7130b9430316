"""Tools for fault injection: throwaway Redis and PostgreSQL servers, and worker helpers.

A test that stops or restarts a service starts its own instance here (a redis-server
on a free port, a PostgreSQL cluster made with initdb in a temporary folder), so the
machine's shared services, which other tests and engineers use, are never touched.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from tests.integration.workers import ROOT, wait_until

wait_for = wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def pool_children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (a prefork worker's pool processes)."""
    children = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # The command name (2nd field) may hold spaces; the parent id follows ")".
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(stat.split("/")[2]))
    return children


# --- a throwaway Redis ----------------------------------------------------------------


class RedisServer:
    """A redis-server of our own on a free port, with no persistence.

    Without persistence a restart empties it, the worst case for a broker: every
    message queued at that moment is gone.
    """

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.handle: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        log = (self.directory / f"redis-{self.port}.log").open("ab")
        self.handle = subprocess.Popen(
            [
                self.binary,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", str(self.directory),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.ConnectionError):
                if client.ping():
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def kill(self) -> None:
        """SIGKILL: a crash, not a clean shutdown."""
        if self.handle is not None and self.handle.poll() is None:
            self.handle.send_signal(signal.SIGKILL)
            self.handle.wait(10)
        self.handle = None

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.kill()


# --- a throwaway PostgreSQL cluster -------------------------------------------------


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    binary = shutil.which(name)
    if binary is None:
        pytest.skip(f"PostgreSQL's {name} is not installed")
    return binary


class PostgresCluster:
    """A PostgreSQL cluster made with initdb in `directory`, on a free port.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the
    `postgres` user and its commands run as that user.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.sockets = directory / "sockets"
        self.log = directory / "postgres.log"
        self.port = free_port()
        self.name = "faults"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{self.name}"
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no postgres user to own a cluster")
            self._as_user = ["runuser", "-u", "postgres", "--"]
            self._owner = owner

    def _run(self, *args: str, timeout: float = 60) -> None:
        done = subprocess.run(
            [*self._as_user, *args], capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")

    def init(self) -> PostgresCluster:
        self.sockets.mkdir(parents=True, exist_ok=True)
        if self._as_user:
            for path in (self.directory, self.sockets):
                os.chown(path, self._owner.pw_uid, self._owner.pw_gid)
        # trust on 127.0.0.1 only: the cluster lives for one test and listens nowhere else.
        self._run(
            _pg_bin("initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self.start()
        self._run(
            _pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            self.name,
        )  # fmt: skip
        return self

    def start(self) -> None:
        # fsync off: a throwaway cluster needs speed, not durability across power cuts.
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            _pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """fast: disconnect every client at once, as a restart or a failover does."""
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(Exception):
            self.stop("immediate")

    def django(self, code: str, *, timeout: float = 120) -> str:
        """Run Python with Django set up against this cluster (migrations, seeding)."""
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        }
        env.pop("REDIS_URL", None)
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

        with psycopg.connect(self.url, connect_timeout=3) as conn:
            return conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, *params: object) -> object:
        return self.query(sql, *params)[0][0]


@contextlib.contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    # Not pytest's tmp_path: its parent is private to root, and the cluster's owner
    # (postgres) must be able to reach the folder.
    directory = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
    try:
        cluster = PostgresCluster(directory).init()
        try:
            yield cluster
        finally:
            cluster.destroy()
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

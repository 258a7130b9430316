"""The services a benchmark run starts for itself, and stops: a throwaway PostgreSQL
cluster and a Redis instance, each on a free port of 127.0.0.1.

Throwaway rather than the machine's own PostgreSQL and Redis: the benchmark must not
depend on, or disturb, services that tests (or other people on a shared machine) use,
and its settings (memory, WAL) are chosen for it alone.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

# Memory for a machine that also runs the web server, the load generator and other
# people's work: generous for the seed's index builds, modest for shared buffers.
PG_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "max_connections": "100",
    "shared_buffers": "1GB",
    "effective_cache_size": "6GB",
    "work_mem": "16MB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    # lz4: TOAST-compresses transcripts several times faster than the default pglz.
    "default_toast_compression": "lz4",
    "random_page_cost": "1.1",
    "jit": "off",
    "logging_collector": "off",
}
# Only while seeding: durability buys nothing for data that is generated again on a
# crash. The measurements run with PostgreSQL's default (durable) settings.
PG_SEED_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "autovacuum": "off",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answers on 127.0.0.1:{port} after {timeout:.0f} s")


def apt_install(*packages: str) -> None:
    """Install Debian packages the benchmark needs (root only; a clear error otherwise)."""
    if os.geteuid() != 0:
        raise SystemExit(f"missing: {' '.join(packages)}; install them (apt-get install -y ...)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def pg_bindir() -> Path:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    if not candidates and shutil.which("initdb") is None:
        apt_install("postgresql")
        candidates = sorted(
            glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
        )
    if candidates:
        return Path(candidates[-1])
    return Path(shutil.which("initdb")).parent


class PostgresCluster:
    """initdb, pg_ctl start/stop. As root, everything runs as the `postgres` user, which
    PostgreSQL insists on (it refuses to run as root)."""

    def __init__(self, datadir: Path, port: int | None = None):
        self.datadir = Path(datadir)
        self.port = port or free_port()
        self.bindir = pg_bindir()
        self.as_root = os.geteuid() == 0

    @property
    def exists(self) -> bool:
        return (self.datadir / "PG_VERSION").exists()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, **kwargs)

    def init(self) -> None:
        self.datadir.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            user = pwd.getpwnam("postgres")
            os.chown(self.datadir, user.pw_uid, user.pw_gid)
            for parent in self.datadir.parents:
                if not parent.stat().st_mode & 0o001:
                    raise SystemExit(
                        f"the postgres user cannot reach {self.datadir}: {parent} is not "
                        "searchable by others; choose another --data-dir"
                    )
        self._run(
            "initdb",
            "-D",
            str(self.datadir),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            stdout=subprocess.DEVNULL,
        )

    def start(self, *, seeding: bool = False) -> None:
        settings = {**PG_SETTINGS, **(PG_SEED_SETTINGS if seeding else {})}
        settings["port"] = str(self.port)
        settings["unix_socket_directories"] = str(self.datadir)
        options = " ".join(f"-c {k}={v}" for k, v in settings.items())
        self._run(
            "pg_ctl",
            "-D",
            str(self.datadir),
            "-l",
            str(self.datadir / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "120",
            "start",
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if (self.datadir / "postmaster.pid").exists():
            self._run(
                "pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop",
                check=False, stdout=subprocess.DEVNULL,
            )  # fmt: skip

    def psql(self, sql: str, database: str = "postgres") -> str:
        out = self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
            "-v", "ON_ERROR_STOP=1", "-tAc", sql,
            capture_output=True, text=True,
        )  # fmt: skip
        return out.stdout.strip()

    def create_database(self, name: str) -> None:
        if self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
            self.psql(f'CREATE DATABASE "{name}"')

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}"')


class RedisServer:
    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            apt_install("redis-server")
            binary = shutil.which("redis-server")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                binary, "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.workdir),
                "--logfile", str(self.workdir / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()

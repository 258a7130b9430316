"""Services a test or a benchmark starts for itself, and stops: a PostgreSQL cluster,
a Redis, Celery workers and beats, the site under gunicorn. Each on a free port of
127.0.0.1.

Throwaway rather than the machine's own PostgreSQL and Redis: a test that stops a
service, or a benchmark that tunes one, must not disturb what other tests (or other
people on a shared machine) are using.

A missing program raises MissingTool; a test turns that into a skip, a benchmark
passes install=True to have Debian's package installed (as root).
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
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


class MissingTool(RuntimeError):
    """A program a service needs is not installed."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answers on 127.0.0.1:{port} after {timeout:.0f} s")


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    logs: Sequence[CeleryProcess] = (),
) -> None:
    """Poll `condition` until it holds; after `timeout` seconds fail, quoting `logs`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    details = "\n".join(p.output()[-3000:] for p in logs)
    raise AssertionError(f"timed out waiting for {what}\n{details}")


def apt_install(*packages: str) -> None:
    """Install Debian packages (root only; a clear error otherwise)."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise MissingTool(f"missing: {' '.join(packages)}; install them (apt-get install -y ...)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def find_program(name: str, *, package: str, install: bool = False) -> str:
    found = shutil.which(name)
    if found is None and install:
        apt_install(package)
        found = shutil.which(name)
    if found is None:
        raise MissingTool(f"{name} is not installed (Debian package {package})")
    return found


def children(pid: int, *, recursive: bool = True) -> list[int]:
    """Process ids below `pid`, read from /proc (no psutil needed): all descendants, or
    with recursive=False only its direct children (a prefork worker's pool)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name (2nd field) may hold spaces; the parent id follows ")".
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
    if not recursive:
        return parents.get(pid, [])
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


# --- PostgreSQL ------------------------------------------------------------------------


def pg_bindir(*, install: bool = False) -> Path:
    def newest() -> list[str]:
        return sorted(
            glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
        )

    candidates = newest()
    if not candidates and shutil.which("initdb") is None and install:
        apt_install("postgresql")
        candidates = newest()
    if candidates:
        return Path(candidates[-1])
    if shutil.which("initdb") is None:
        raise MissingTool("PostgreSQL's initdb is not installed (Debian package postgresql)")
    return Path(shutil.which("initdb")).parent


class PostgresCluster:
    """A cluster made with initdb in `datadir`, started and stopped with pg_ctl.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres`
    user and its commands run as that user; every folder above `datadir` must then be
    searchable by others. `settings` are passed to every start (-c name=value).
    """

    def __init__(
        self,
        datadir: Path,
        *,
        port: int | None = None,
        settings: dict[str, str] | None = None,
        install: bool = False,
    ) -> None:
        self.datadir = Path(datadir)
        self.port = port or free_port()
        self.settings = dict(settings or {})
        self.bindir = pg_bindir(install=install)
        self._as_user: list[str] = []
        self._owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self._owner = pwd.getpwnam("postgres")
            except KeyError:
                raise MissingTool("running as root and there is no postgres user to own a cluster")
            self._as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def exists(self) -> bool:
        return (self.datadir / "PG_VERSION").exists()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(
            [*self._as_user, str(self.bindir / program), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def init(self) -> PostgresCluster:
        self.datadir.mkdir(parents=True, exist_ok=True)
        if self._owner is not None:
            os.chown(self.datadir, self._owner.pw_uid, self._owner.pw_gid)
            for parent in self.datadir.parents:
                if not parent.stat().st_mode & 0o001:
                    raise RuntimeError(
                        f"the postgres user cannot reach {self.datadir}: {parent} is not "
                        "searchable by others; choose another folder"
                    )
        # trust on 127.0.0.1 only: the cluster listens nowhere else.
        self._run(
            "initdb", "-D", str(self.datadir), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        return self

    def start(self, extra: dict[str, str] | None = None) -> None:
        settings = {
            **self.settings,
            **(extra or {}),
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.datadir),
        }
        options = " ".join(f"-c {k}={v}" for k, v in settings.items())
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.datadir / "server.log"),
            "-o", options, "-w", "-t", "120", "start",
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self, mode: str = "fast") -> None:
        """fast: disconnect every client at once, as a restart or a failover does;
        immediate: as a crash does."""
        if (self.datadir / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.datadir), "-m", mode, "-w", "-t", "60", "stop")

    def psql(self, sql: str, database: str = "postgres") -> str:
        out = self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
            "-v", "ON_ERROR_STOP=1", "-tAc", sql,
        )  # fmt: skip
        return out.strip()

    def create_database(self, name: str) -> None:
        if self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
            self.psql(f'CREATE DATABASE "{name}"')

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}"')


# --- Redis -----------------------------------------------------------------------------


class RedisServer:
    """A redis-server of our own on a free port, with no persistence.

    Without persistence a restart empties it, the worst case for a broker: every
    message queued at that moment is gone. start() again after kill() comes back on
    the same port.
    """

    def __init__(self, workdir: Path, *, install: bool = False) -> None:
        self.binary = find_program("redis-server", package="redis-server", install=install)
        self.workdir = Path(workdir)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = (self.workdir / f"redis-{self.port}.log").open("ab")
        self.process = subprocess.Popen(
            [
                self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", str(self.workdir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.answers():
                return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def answers(self) -> bool:
        """Whether it answers PING (an open port alone may still be loading)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), 0.2) as sock:
                sock.settimeout(0.5)
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None

    def kill(self) -> None:
        """SIGKILL: a crash, not a clean shutdown."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.kill()


# --- Celery ----------------------------------------------------------------------------


class CeleryProcess:
    """`celery -A newsroom ...` in a session of its own, so that kill() reaches its pool
    processes too. Its output goes to `log` (or to ours when None)."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path | None) -> None:
        self.log = log
        stdout = log.open("ab") if log is not None else None
        self.handle = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "newsroom", *args],
            cwd=ROOT,
            env=env,
            stdout=stdout,
            stderr=subprocess.STDOUT if stdout is not None else None,
            start_new_session=True,
        )
        if stdout is not None:
            stdout.close()

    @property
    def pid(self) -> int:
        return self.handle.pid

    def alive(self) -> bool:
        return self.handle.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """SIGKILL (default): a crash; SIGTERM: a warm shutdown, running tasks finish."""
        if self.handle.poll() is None:
            os.killpg(self.handle.pid, sig)
        try:
            self.handle.wait(30 if sig == signal.SIGKILL else 60)
        except subprocess.TimeoutExpired:
            os.killpg(self.handle.pid, signal.SIGKILL)
            self.handle.wait(10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log is not None else ""


def start_worker(
    env: dict[str, str],
    log: Path | None,
    *,
    name: str = "w1",
    concurrency: int = 1,
    queues: str = "",
    loglevel: str = "INFO",
    options: Sequence[str] = (),
) -> CeleryProcess:
    """A prefork worker; `queues` ("polling,default") limits what it consumes (default:
    every declared queue). Its broker is the one `env` configures."""
    return CeleryProcess(
        [
            "worker",
            *(["-Q", queues] if queues else []),
            f"--loglevel={loglevel}",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "-n",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            *options,
        ],
        env,
        log,
    )


def start_beat(env: dict[str, str], log: Path | None, schedule: Path) -> CeleryProcess:
    """Beat with the database scheduler, waking every second (not every five minutes)
    so that schedule changes made by a test or a benchmark are seen at once."""
    return CeleryProcess(
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


# --- The site --------------------------------------------------------------------------


def manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """`manage.py ...` in the repository, raising on a non-zero exit."""
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


class Gunicorn:
    """The site as the README's production section serves it, on a free port."""

    def __init__(self, env: dict, workers: int, threads: int, logfile: Path) -> None:
        self.port = free_port()
        self.env, self.workers, self.threads, self.logfile = env, workers, threads, logfile
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            str(Path(PYTHON).with_name("gunicorn")), "newsroom.wsgi",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
            "--log-level", "warning", "--error-logfile", str(self.logfile),
        ]  # fmt: skip
        if self.threads > 1:
            # gthread keeps connections alive (sync workers close each one).
            command += ["--worker-class", "gthread", "--threads", str(self.threads)]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def fetch(url: str, cookie: str = "") -> tuple[int, bytes]:
    """GET as a reader behind the production proxy (HTTPS) does: (status, body)."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (127.0.0.1)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()

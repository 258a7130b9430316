"""`make bench`: seed, serve and measure the site as production runs it, in one run.

1. Starts a throwaway PostgreSQL cluster and Redis on free ports of 127.0.0.1
   (testing/services.py) and seeds the corpus (bench/seed.py: 100,000 articles at
   --scale 1). With --data-dir a seeded cluster is kept there and reused next time.
2. Serves the site with gunicorn as the README's production section does (DEBUG=0,
   a SECRET_KEY, collectstatic, PostgreSQL and Redis), plus a hello-world view at
   /bench/hello (BENCH_HELLO=1): the framework's ceiling on the same server.
3. Drives load with wrk from a second process (16 connections by default) and
   measures, side by side: hello world, Today, topic pages, archive months, article
   pages, search, /favorites/ signed in and Today signed in; each as requests/s,
   p50 and p99 latency, errors, and its throughput as a share of the ceiling.
4. Measures ingestion (bench/ingest_speed.py), digests (bench/digest_speed.py when
   present) and a real Celery worker's peak memory (bench/worker_memory.py).
5. Writes the results into docs/performance.md (between its "bench:results"
   markers) and the raw numbers into bench/results/.

Everything it started is stopped when it ends, including on Ctrl-C.

    .venv/bin/python bench/run.py                  # the full run (about 30 minutes)
    .venv/bin/python bench/run.py --scale 0.01     # a quick one (1,000 articles)
    .venv/bin/python bench/run.py --data-dir DIR      # keep the corpus in DIR and reuse it
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testing.services import (  # noqa: E402
    Gunicorn,
    PostgresCluster,
    RedisServer,
    apt_install,
    fetch,
    manage,
)
from testing.wrk import run_wrk  # noqa: E402

PYTHON = sys.executable
DATABASE = "newsroom_bench"
RESULTS_BEGIN = "<!-- bench:results:begin -->"
RESULTS_END = "<!-- bench:results:end -->"

# (name, manifest key, signed in, target kind, connections: None = --connections)
SCENARIOS = [
    ("Hello world (ceiling)", "hello", False, "ceiling", None),
    ("Today", "today", False, "anonymous", None),
    ("Topic page", "topic", False, "anonymous", None),
    ("Archive month", "archive", False, "anonymous", None),
    ("Article page", "article", False, "anonymous", None),
    # Searches as readers repeat them (a tag's link, a trending word): the page cache
    # keeps each results page until something changes.
    ("Search, repeated queries", "search", False, "search", None),
    # Every request a query never seen, so that each one searches (UNIQUE_KEYS): first
    # one reader on a server that is not saturated, the search's own latency; then 16
    # at once, the throughput of searching on this machine, measured and shown but with
    # no latency target (16 connections on two cores queue behind each other).
    ("Search, uncached, 1 connection", "search_uncached", False, "search", 1),
    ("Search, uncached", "search_uncached", False, "throughput", None),
    ("/favorites/ (signed in)", "favorites", True, "signed_in", None),
    ("Today (signed in)", "today", True, "signed_in", None),
    ("Hello world (again, at the end)", "hello", False, "ceiling", None),
]
TARGETS = {
    "anonymous": {"ratio": 0.6, "p99_ms": 50},
    "signed_in": {"ratio": 0.15, "p99_ms": 150},
    "search": {"ratio": None, "p99_ms": 100},
}
WORKER_PEAK_TARGET_MIB = 300
# Manifest keys whose requests each get a parameter of their own (&n=…), which the
# site ignores but which no cache has seen: every request is served from scratch.
UNIQUE_KEYS = {"search_uncached": "search"}

# Memory for a machine that also runs the web server, the load generator and other
# people's work: generous for the seed's index builds, modest for shared buffers.
PG_SETTINGS = {
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


def command_line() -> str:
    """How this run was started, for the report (a --data-dir's path is this machine's
    business, not the report's)."""
    if len(sys.argv) == 1:
        return "make bench"
    words, hide = [], False
    for word in sys.argv[1:]:
        if hide:
            words.append("DIR")
        elif word.startswith("--data-dir="):
            words.append("--data-dir=DIR")
        else:
            words.append(word)
        hide = word == "--data-dir"
    return "bench/run.py " + " ".join(words)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- The machine ---------------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gib = 0.0
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = int(line.split()[1]) / 1024 / 1024
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_gib),
        "arch": platform.machine(),
        "python": platform.python_version(),
    }


def load_average() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError):
        return 0.0


def busy_share(seconds: float = 2.0) -> float:
    """The share of the machine's CPU time that was busy over `seconds` (before a
    measurement: work of other people on a shared machine shows here)."""

    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]

    try:
        total1, idle1 = sample()
        time.sleep(seconds)
        total2, idle2 = sample()
    except OSError:
        return 0.0
    return round(1 - (idle2 - idle1) / max(1, total2 - total1), 2)


def versions(env: dict) -> dict:
    def out(*command) -> str:
        try:
            return subprocess.run(
                command, capture_output=True, text=True, env=env, check=False
            ).stdout.strip()
        except OSError:
            return ""

    django = out(PYTHON, "-c", "import django; print(django.get_version())")
    gunicorn = out(str(Path(PYTHON).with_name("gunicorn")), "--version")
    redis = out("redis-server", "--version").split(" v=")[-1].split()[0]
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    wrk_version = (wrk.stdout + wrk.stderr).split()[1] if (wrk.stdout + wrk.stderr) else ""
    return {
        "django": django,
        "gunicorn": gunicorn.replace("gunicorn (version ", "").rstrip(")"),
        "redis": redis,
        "wrk": wrk_version,
    }


# --- Running things ----------------------------------------------------------------------------


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


# --- The steps -------------------------------------------------------------------------------


def ensure_tools() -> None:
    missing = [
        p for p, cmd in (("wrk", "wrk"), ("redis-server", "redis-server")) if not shutil.which(cmd)
    ]
    if missing:
        log(f"installing {' '.join(missing)} from Debian's packages")
        apt_install(*missing)


def prepare_database(args, cluster: PostgresCluster, env: dict, datadir: Path) -> dict:
    """A seeded database: reused when --data-dir holds one of the same volume."""
    report = datadir / "seed.json"
    wanted = {"scale": args.scale, "words_target": args.words, "seed": args.seed}
    if cluster.exists and report.exists():
        summary = json.loads(report.read_text())
        if all(summary.get(k) == v for k, v in wanted.items()):
            log(f"reusing the corpus seeded in {datadir} ({summary['articles']:,} articles)")
            cluster.start()
            return summary
        log("the kept corpus has another volume: seeding again")
        cluster.stop()
        shutil.rmtree(cluster.datadir)
    if not cluster.exists:
        cluster.init()
    cluster.start(PG_SEED_SETTINGS)
    cluster.drop_database(DATABASE)
    cluster.create_database(DATABASE)
    log(f"seeding {args.scale:g} × the default volume")
    run(
        [PYTHON, "bench/seed.py", "--scale", str(args.scale), "--words", str(args.words),
         "--seed", str(args.seed), "--report", str(report)],
        env,
    )  # fmt: skip
    # Measure with PostgreSQL's ordinary, durable settings, not the seed's.
    cluster.stop()
    cluster.start()
    return json.loads(report.read_text())


def measure_pages(args, env: dict, manifest: dict, workdir: Path, scenarios) -> list[dict]:
    server = Gunicorn(env, args.workers, args.threads, workdir / "gunicorn.log")
    server.start()
    manifest = {**manifest, "hello": ["/bench/hello"]}
    manifest.update({key: manifest[source] for key, source in UNIQUE_KEYS.items()})
    results = []
    try:
        log(f"gunicorn on {server.url}: {args.workers} workers × {args.threads} threads")
        # Every URL once, checked: a benchmark of error pages would measure nothing. This
        # also fills the page cache, as a site in use has it filled.
        for key, paths in manifest.items():
            if not isinstance(paths, list) or key in UNIQUE_KEYS:
                continue
            cookie = manifest["session_cookie"] if key == "favorites" else ""
            for path in paths:
                status, _ = fetch(server.url + path, cookie)
                if status != 200:
                    raise SystemExit(f"{path} answered {status} before the measurement")
        status, body = fetch(server.url + "/", manifest["session_cookie"])
        if b"Sign out" not in body:
            raise SystemExit("the bench reader's session is not signed in")
        # Round-robin: every page is measured in each of --rounds rounds, and each figure
        # is the median of its rounds. On a shared machine, a burst of someone else's
        # work then spoils one round of a page rather than the whole of its figure.
        rounds: list[list[dict]] = [[] for _ in scenarios]
        seconds = max(3, round(args.duration / args.rounds))
        for number in range(args.rounds):
            for index, (name, key, signed_in, _kind, connections) in enumerate(scenarios):
                paths = manifest[key]
                connections = connections or args.connections
                common = {
                    "cookie": manifest["session_cookie"] if signed_in else "",
                    "connections": connections,
                    "threads": min(args.wrk_threads, connections),
                    "workdir": workdir,
                    "unique": key in UNIQUE_KEYS,
                }
                if number == 0:
                    run_wrk(server.url, paths, duration=args.warmup, **common)
                busy = busy_share(0.5)
                result = run_wrk(server.url, paths, duration=seconds, **common)
                result.update(busy_before=busy, load=load_average(), connections=connections)
                rounds[index].append(result)
                log(
                    f"round {number + 1}/{args.rounds} {name}: {result['rps']:,.0f} req/s, "
                    f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
                    f"{result['errors']} errors"
                )
    finally:
        server.stop()
    for (name, key, _signed_in, kind, _c), measured in zip(scenarios, rounds, strict=True):
        results.append(
            {
                "name": name,
                "key": key,
                "kind": kind,
                "urls": len(manifest[key]),
                "connections": measured[0]["connections"],
                "rounds": measured,
                "requests": sum(r["requests"] for r in measured),
                "errors": sum(r["errors"] for r in measured),
                **{
                    field: statistics.median(r[field] for r in measured)
                    for field in ("rps", "p50_ms", "p90_ms", "p99_ms", "busy_before", "load")
                },
                "max_ms": max(r["max_ms"] for r in measured),
            }
        )
    ceiling = max(r["rps"] for r in results if r["kind"] == "ceiling")
    for result in results:
        result["ratio"] = round(result["rps"] / ceiling, 2)
    return results


def measure_ingestion(cluster: PostgresCluster, env: dict, workdir: Path) -> dict | None:
    script = ROOT / "bench" / "ingest_speed.py"
    if not script.exists():
        return None
    cluster.drop_database("newsroom_ingest")
    cluster.create_database("newsroom_ingest")
    output = workdir / "bench-ingest.md"
    log("ingestion throughput (bench/ingest_speed.py)")
    out = run(
        [PYTHON, str(script), "--runs", "1", "--output", str(output)],
        # The whole feed in one poll: the benchmark measures 200 episodes, not the cap on
        # a back catalogue (INGEST_MAX_NEW_PER_POLL) that production applies.
        {
            **env,
            "DATABASE_URL": cluster.url("newsroom_ingest"),
            "INGEST_MAX_NEW_PER_POLL": "100000",
        },
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"median ([\d.]+) s", out)
    table = re.search(r"^\| \d+ \|.*$", output.read_text(), re.M) if output.exists() else None
    described = re.search(r"^A feed of .*$", output.read_text(), re.M) if output.exists() else None
    return {
        "seconds": float(match.group(1)) if match else None,
        "row": table.group(0) if table else "",
        "what": described.group(0) if described else "",
    }


def measure_digests(cluster: PostgresCluster, env: dict, workdir: Path) -> dict | None:
    script = ROOT / "bench" / "digest_speed.py"
    if not script.exists():
        return None
    cluster.drop_database("newsroom_digest")
    cluster.create_database("newsroom_digest")
    log("digest throughput (bench/digest_speed.py)")
    help_text = subprocess.run(
        [PYTHON, str(script), "--help"], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout
    command = [PYTHON, str(script)]
    # Its own report is its author's to write: this run only reads the figures.
    if "--no-write" in help_text:
        command.append("--no-write")
    elif "--output" in help_text:
        command += ["--output", str(workdir / "bench-digest.md")]
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={**env, "DATABASE_URL": cluster.url("newsroom_digest")},
        capture_output=True,
        text=True,
    )
    lines = [line.strip() for line in done.stdout.strip().splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr or "no output")[-300:]}
    return {"summary": "; ".join(lines)}


def measure_worker(cluster: PostgresCluster, env: dict, workdir: Path) -> dict | None:
    cluster.drop_database("newsroom_worker")
    cluster.create_database("newsroom_worker")
    log("a Celery worker's peak memory (bench/worker_memory.py)")
    done = run(
        [PYTHON, "bench/worker_memory.py"],
        {**env, "DATABASE_URL": cluster.url("newsroom_worker")},
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- The report ------------------------------------------------------------------------------


def verdict(result: dict) -> str:
    target = TARGETS.get(result["kind"])
    if not target:
        return "—"
    checks = [result["p99_ms"] < target["p99_ms"], result["errors"] == 0]
    if target["ratio"] is not None:
        checks.append(result["ratio"] >= target["ratio"])
    return "met" if all(checks) else "**not met**"


def target_text(kind: str) -> str:
    target = TARGETS.get(kind)
    if not target:
        return "—"
    parts = []
    if target["ratio"] is not None:
        parts.append(f"≥ {target['ratio']:g}×")
    parts.append(f"p99 < {target['p99_ms']} ms")
    return ", ".join(parts)


def report(args, info: dict) -> str:
    m, v, seed = info["machine"], info["versions"], info["seed"]
    lines = [
        RESULTS_BEGIN,
        "## Latest run",
        "",
        f"Measured {info['date']} with `{info['command']}` on {m['cpu']}, {m['cores']} cores, "
        f"{m['memory_gib']} GiB, {m['arch']}; Python {m['python']}, Django {v['django']}, "
        f"PostgreSQL {info['postgres']}, Redis {v['redis']}, gunicorn {v['gunicorn']} "
        f"({args.workers} workers × {args.threads} threads), wrk {v['wrk']} "
        f"({args.wrk_threads} threads, {args.connections} connections unless said otherwise, "
        f"{args.duration} s per page in {args.rounds} rounds taken in turn, after {args.warmup} "
        "s of warm-up) on the same machine. Each figure is the median of the page's rounds.",
        "",
        f"Corpus: {seed['articles']:,} articles ({seed['published']:,} published) with "
        f"transcripts of {seed['words']:,} words on average, digests and key points, "
        f"{seed['sources']} sources, {seed['topics']} topics, {seed['readers']:,} readers, "
        f"{seed['favorites']:,} favorites"
        + (f"; seeded in {seed['seconds'] / 60:.1f} min." if seed.get("seconds") else "."),
        "",
        "| page | URLs | connections | requests/s | × ceiling | p50 | p99 | errors | target | |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for r in info["pages"]:
        lines.append(
            f"| {r['name']} | {r['urls']} | {r['connections']} | {r['rps']:,.0f} | "
            f"{r['ratio']:.2f} | "
            f"{r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['errors']} | "
            f"{target_text(r['kind'])} | {verdict(r)} |"
        )
    busy = [r["busy_before"] for r in info["pages"]]
    lines += [
        "",
        f"The machine is shared: in the half second before each measurement, while this "
        f"benchmark was idle, {min(busy):.0%} to "
        f"{max(busy):.0%} of its CPU time was already busy (load average "
        f"{min(r['load'] for r in info['pages']):.1f} to "
        f"{max(r['load'] for r in info['pages']):.1f}), "
        "which lowers every figure above alike and makes latency tails longer.",
        "",
    ]
    for name in ("ingestion", "digests", "worker"):
        if (info.get(name) or {}).get("error"):
            lines += [
                f"**{name.capitalize()}**: the measurement failed: `{info[name]['error']}`",
                "",
            ]
            info[name] = None
    if info.get("ingestion"):
        ing = info["ingestion"]
        lines += [
            f"**Ingestion** (bench/ingest_speed.py, on this run's PostgreSQL): {ing['what']}",
            "",
            "| runs | median | per episode | target |",
            "|---|---|---|---|",
            ing["row"],
            "",
        ]
    if info.get("digests"):
        lines += [f"**Digests** (bench/digest_speed.py): {info['digests']['summary']}", ""]
    if info.get("worker"):
        w = info["worker"]
        met = "met" if w["peak_rss_mib_max"] < WORKER_PEAK_TARGET_MIB else "**not met**"
        lines += [
            f"**Worker memory** (bench/worker_memory.py): a Celery worker "
            f"(prefork, concurrency {w['concurrency']}) polled a feed and ran "
            f"{w['tasks']} tasks (poll, {w['episodes']} transcripts of {w['transcript_minutes']} "
            f"minutes, {w['episodes']} digest tasks) in {w['seconds']} s. Peak resident memory "
            f"(VmHWM): {w['peak_rss_mib_max']} MiB for the largest process "
            f"({w['peak_rss_mib_sum']} MiB if the {w['processes']} processes' peaks are added, "
            "which counts their shared pages several times; their proportional set size "
            f"at the end, which counts them once: {w.get('pss_mib_total_at_end', '?')} MiB). "
            f"Episodes by status: {w['statuses']}. Target under {WORKER_PEAK_TARGET_MIB} MB "
            f"per worker process: {met}.",
            "",
        ]
    lines.append(RESULTS_END)
    return "\n".join(lines)


def write_report(path: Path, section: str) -> None:
    text = path.read_text() if path.exists() else "# Performance\n\n"
    if RESULTS_BEGIN in text and RESULTS_END in text:
        before = text.split(RESULTS_BEGIN)[0]
        after = text.split(RESULTS_END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text)


# --- Main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 100,000 articles")
    parser.add_argument("--words", type=int, default=6000, help="transcript words on average")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the corpus")
    parser.add_argument("--data-dir", type=Path, help="keep the seeded cluster here, and reuse it")
    parser.add_argument("--duration", type=int, default=30, help="seconds of load per page")
    parser.add_argument("--rounds", type=int, default=3, help="rounds the duration is split in")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before each")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    # One process per core, threads to overlap their waits on PostgreSQL and Redis
    # (measured against 3×2 and 4 sync workers: docs/performance.md).
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--only", help="comma-separated scenario keys (e.g. hello,today)")
    parser.add_argument("--skip-extras", action="store_true", help="pages only: no ingestion, "
                        "digest or worker measurement")  # fmt: skip
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--no-write", action="store_true", help="leave docs/ alone")
    parser.add_argument(
        "--report-only", type=Path, metavar="RESULTS_JSON",
        help="measure nothing: write the report of a run saved in bench/results/",
    )  # fmt: skip
    args = parser.parse_args()
    if args.report_only:
        saved = json.loads(args.report_only.read_text())
        saved_args = argparse.Namespace(**saved.pop("args"))
        saved["command"] = re.sub(r"(--data-dir[ =])\S+", r"\1DIR", saved["command"])
        section = report(saved_args, saved)
        print(section)
        if not args.no_write:
            write_report(args.output, section)
        return

    ensure_tools()
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    os.chmod(workdir, 0o711)  # the postgres user must reach a cluster inside it
    datadir = args.data_dir.resolve() if args.data_dir else workdir
    datadir.mkdir(parents=True, exist_ok=True)
    cluster = PostgresCluster(datadir / "pg", settings=PG_SETTINGS, install=True)
    redis = RedisServer(workdir / "redis", install=True)
    started = time.monotonic()
    try:
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url(DATABASE),
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        }
        env.pop("REDIS_URL", None)
        seed = prepare_database(args, cluster, env, datadir)
        redis.start()
        env.update(
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            REDIS_URL=redis.url,
            BENCH_HELLO="1",
            LOG_LEVEL="WARNING",
        )
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manifest_file = workdir / "manifest.json"
        run([PYTHON, "bench/seed.py", "--manifest", str(manifest_file)], env)
        manifest = json.loads(manifest_file.read_text())
        scenarios = SCENARIOS
        if args.only:
            keep = set(args.only.split(","))
            scenarios = [
                s
                for s in SCENARIOS
                if s[1] in keep or UNIQUE_KEYS.get(s[1]) in keep or s[3] == "ceiling"
            ]
        pages = measure_pages(args, env, manifest, workdir, scenarios)
        info = {
            "date": dt.date.today().isoformat(),
            "command": command_line(),
            "machine": machine(),
            "versions": versions(env),
            "postgres": cluster.psql("SHOW server_version").split()[0],
            "seed": seed,
            "pages": pages,
        }
        if not args.skip_extras:
            for name, measure in (
                ("ingestion", measure_ingestion),
                ("digests", measure_digests),
                ("worker", measure_worker),
            ):
                try:
                    info[name] = measure(cluster, env, workdir)
                except (subprocess.CalledProcessError, ValueError, OSError) as exc:
                    detail = getattr(exc, "stderr", "") or ""
                    log(f"{name} failed: {exc}\n{detail[-2000:]}")
                    info[name] = {"error": f"{exc}".strip()[:300]}
        results_dir = ROOT / "bench" / "results"
        results_dir.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        (results_dir / f"{stamp}.json").write_text(json.dumps({"args": vars(args) | {
            "data_dir": str(args.data_dir or ""), "output": str(args.output)}, **info},
            indent=1, default=str))  # fmt: skip
        section = report(args, info)
        print(section)
        if not args.no_write:
            write_report(args.output, section)
            log(f"wrote {args.output.relative_to(ROOT)}")
        log(f"done in {(time.monotonic() - started) / 60:.1f} min")
    finally:
        redis.stop()
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

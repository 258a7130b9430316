"""A real Celery worker's peak memory while it ingests and digests a feed.

Serves a feed of --episodes episodes with 60-minute WebVTT transcripts on 127.0.0.1,
starts `celery -A newsroom worker` (prefork, --concurrency processes) on the
configured database and Redis, enqueues one poll of the source and waits until every
episode has gone through its tasks (poll, transcript, digests, publish rule). Then it
reads each worker process's high-water mark of resident memory (VmHWM in
/proc/<pid>/status: the kernel's own record of the peak, so no sampling can miss it)
and prints a JSON summary.

    DATABASE_URL=postgres://... REDIS_URL=redis://... \\
        .venv/bin/python bench/worker_memory.py [--episodes 20] [--concurrency 2]

bench/run.py runs it on its own throwaway database.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def proportional_kib(pid: int) -> int:
    """Memory the process uses now, shared pages divided among their sharers (Pss):
    the sum over a prefork worker's processes counts each page once, which adding up
    their RSS (copy-on-write pages shared with the parent) would not."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--episodes", type=int, default=20)
    parser.add_argument("--minutes", type=int, default=60, help="length of each transcript")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()

    if not os.environ.get("REDIS_URL"):
        raise SystemExit("REDIS_URL must point at a Redis: the worker needs a broker")
    os.environ["FETCH_ALLOW_HOSTS"] = "127.0.0.1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DEBUG", "1")  # a bench on a laptop: development settings
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    from articles.models import Article
    from bench.ingest_speed import feed, transcript
    from ingestion import tasks
    from ingestion.models import Source
    from testing.http_servers import Response, serve
    from testing.services import children, start_worker

    call_command("migrate", verbosity=0)
    Source.objects.filter(slug="worker-memory").delete()
    done_states = [
        Article.Status.PUBLISHED,
        Article.Status.REVIEW,
        Article.Status.FAILED,
        Article.Status.NEEDS_TRANSCRIPT,
    ]
    with serve() as server:
        base = server.url("").rstrip("/")
        server.routes["/feed.xml"] = feed(base, args.episodes)
        for n in range(args.episodes):
            server.routes[f"/t/{n}.vtt"] = Response(
                body=transcript(args.minutes, n), content_type="text/vtt"
            )
        source = Source.objects.create(
            name="Worker memory", slug="worker-memory", feed_url=server.url("/feed.xml")
        )
        env = {**os.environ, "FETCH_ALLOW_HOSTS": "127.0.0.1"}
        # Its output is ours: the JSON summary is the last line printed.
        worker = start_worker(
            env,
            None,
            concurrency=args.concurrency,
            loglevel="WARNING",
            options=["--without-heartbeat"],
        )
        started = time.monotonic()
        try:
            time.sleep(3)  # the worker connects to the broker
            tasks.poll_source.delay(source.pk)
            while True:
                finished = Article.objects.filter(source=source, status__in=done_states).count()
                if finished >= args.episodes:
                    break
                if not worker.alive():
                    raise SystemExit(f"the worker exited with {worker.handle.returncode}")
                if time.monotonic() - started > args.timeout:
                    raise SystemExit(f"only {finished}/{args.episodes} episodes after the timeout")
                time.sleep(0.5)
            elapsed = time.monotonic() - started
            processes = [worker.pid, *children(worker.pid)]
            peaks = {pid: peak_kib(pid) for pid in processes}
            shares = {pid: proportional_kib(pid) for pid in processes}
        finally:
            worker.kill(signal.SIGTERM)
    statuses = dict(
        Article.objects.filter(source=source).values_list("status").annotate(n=Count("pk"))
    )
    summary = {
        "episodes": args.episodes,
        "transcript_minutes": args.minutes,
        "concurrency": args.concurrency,
        "tasks": 1 + 2 * args.episodes,
        "seconds": round(elapsed, 1),
        "statuses": statuses,
        "peak_rss_mib_max": round(max(peaks.values()) / 1024, 1),
        "peak_rss_mib_sum": round(sum(peaks.values()) / 1024, 1),
        "pss_mib_total_at_end": round(sum(shares.values()) / 1024, 1),
        "processes": len(peaks),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

"""Ingestion throughput: a feed of 200 episodes with 60-minute transcripts, no digests.

Serves the feed and its WebVTT transcripts on 127.0.0.1, then runs what one worker
runs for them (poll the source, fetch and store each transcript) in this process,
against the configured database (SQLite by default; set DATABASE_URL for
PostgreSQL). Prints the median of --runs runs and writes docs/bench-ingest.md.

    .venv/bin/python bench/ingest_speed.py [--episodes 200] [--minutes 60] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "the model was trained on new accelerator chips and the team measured latency cost and "
    "accuracy across many benchmarks before shipping it to customers in the cloud this quarter"
).split()


def transcript(minutes: int, seed: int) -> bytes:
    """~150 words a minute, a cue every 6 seconds, two speakers."""
    lines, t, i = ["WEBVTT", ""], 0.0, seed
    while t < minutes * 60:
        words = [WORDS[(i + k) % len(WORDS)] for k in range(15)]
        i += 7
        h, rest = divmod(t, 3600)
        m, s = divmod(rest, 60)
        e = t + 6
        eh, erest = divmod(e, 3600)
        em, es = divmod(erest, 60)
        lines += [
            f"{int(h):02d}:{int(m):02d}:{s:06.3f} --> {int(eh):02d}:{int(em):02d}:{es:06.3f}",
            f"<v {'Ana' if i % 2 else 'Ben'}>{' '.join(words).capitalize()}.",
            "",
        ]
        t = e
    return "\n".join(lines).encode()


def feed(base: str, episodes: int) -> bytes:
    items = "".join(
        f"<item><title>Episode {n}</title><guid>bench-{n}</guid>"
        f"<pubDate>Mon, 02 Nov 2026 10:{n % 60:02d}:00 +0000</pubDate>"
        f'<enclosure url="{base}/a/{n}.mp3" type="audio/mpeg" length="1"/>'
        f'<podcast:transcript url="{base}/t/{n}.vtt" type="text/vtt"/></item>'
        for n in range(episodes)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>'
        f"<title>Bench</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", default=str(ROOT / "docs" / "bench-ingest.md"))
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="newsroom-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["FETCH_ALLOW_HOSTS"] = "127.0.0.1"
    # Every episode of the bench feed is new: store them all, not just the newest 50.
    os.environ["INGEST_MAX_NEW_PER_POLL"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DEBUG", "1")  # a bench on a laptop: development settings
    import django

    django.setup()
    from django.core.management import call_command

    from articles.models import Article
    from ingestion import pipeline
    from ingestion import services as ingestion_services
    from ingestion.models import Source
    from testing.http_servers import Response, serve

    call_command("migrate", verbosity=0)
    timings = []
    words = 0
    with serve() as server:
        base = server.url("").rstrip("/")
        server.routes["/feed.xml"] = feed(base, args.episodes)
        for n in range(args.episodes):
            server.routes[f"/t/{n}.vtt"] = Response(
                body=transcript(args.minutes, n), content_type="text/vtt"
            )
        for run in range(args.runs):
            Source.objects.all().delete()
            source = Source.objects.create(
                name=f"bench {run}", slug=f"bench-{run}", feed_url=server.url("/feed.xml")
            )
            started = time.perf_counter()
            result = ingestion_services.source_poll(source=source)
            pipeline.articles_process(article_ids=result.new_article_ids, digests=False)
            timings.append(time.perf_counter() - started)
            stored = Article.objects.filter(source=source, transcript__isnull=False).count()
            assert stored == args.episodes, f"only {stored} transcripts stored"
            words = sum(
                Article.objects.filter(source=source).values_list(
                    "transcript__word_count", flat=True
                )
            )
            print(f"run {run + 1}: {timings[-1]:.1f} s")
    median = statistics.median(timings)
    engine = django.conf.settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    report = (
        "# Ingestion throughput\n\n"
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, database: {engine}.\n\n"
        f"A feed of {args.episodes} episodes, each with a {args.minutes}-minute WebVTT "
        f"transcript ({words // args.episodes:,} words on average), served on 127.0.0.1; one "
        "process polls the feed, stores the episodes, fetches, parses and stores every "
        "transcript (no digests).\n\n"
        f"| runs | median | per episode | target |\n|---|---|---|---|\n"
        f"| {args.runs} | {median:.1f} s | {median / args.episodes * 1000:.0f} ms "
        "| under 60 s |\n\n"
        "Reproduce: `.venv/bin/python bench/ingest_speed.py` "
        "(add `DATABASE_URL=postgres://…` for PostgreSQL).\n"
    )
    # Keep the sections other benches write into this file (between their markers).
    output = Path(args.output)
    old = output.read_text() if output.exists() else ""
    marked = re.compile(r"<!-- ([\w-]+):start -->.*?<!-- \1:end -->\n", re.DOTALL)
    blocks = [match.group(0) for match in marked.finditer(old)]
    output.write_text(report + "".join("\n" + block for block in blocks))
    print(f"median {median:.1f} s over {args.runs} runs -> {args.output}")


if __name__ == "__main__":
    main()

"""How long the bounded things take: the durations the tests used to assert, measured.

A test that fails because its machine was slow says nothing about the site, so the
tests check what happened (the error, the bytes a server got to send, the calls that
reached Redis) and this script times it: each case --runs times, printed as the
median and the slowest run against its target.

    .venv/bin/python bench/fault_timing.py [--runs 5]

Cases: a fetch cut at its deadline by a server sending a byte every half second; a
fetch cut at the byte cap by a 100 MB body without Content-Length; the first cache
call to a frozen Redis (cut by the 0.5 s socket timeout) and twenty calls during the
cool-off that follows; parsing a feed of 10,000 items and a 5 MB WebVTT transcript;
grounding ten key points in a 10,000-word transcript. No database is used.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MiB = 1024 * 1024


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def expect(error: type[Exception], work: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            work()
        except error:
            return
        raise SystemExit(f"expected {error.__name__}, the call succeeded")

    return run


def fetch_cases(stack: contextlib.ExitStack) -> list[tuple[str, float, Callable[[], None]]]:
    from ingestion.fetch import FetchTimeout, FetchTooLarge, fetch_url
    from testing.http_servers import huge_body, serve, trickle

    routes = {"/slow": trickle(interval=0.5), "/big": huge_body(100 * MiB, declare_length=False)}
    running = stack.enter_context(serve(routes))
    local = ["127.0.0.1"]
    return [
        (
            "fetch of a trickling server, deadline 1.5 s",
            3.5,
            expect(
                FetchTimeout,
                lambda: fetch_url(running.url("/slow"), allow_hosts=local, timeout_total=1.5),
            ),
        ),
        (
            "fetch of 100 MB without Content-Length, cap 1 MiB",
            5.0,
            expect(
                FetchTooLarge,
                lambda: fetch_url(running.url("/big"), allow_hosts=local, max_bytes=MiB),
            ),
        ),
    ]


def frozen_redis_cases(
    stack: contextlib.ExitStack, workdir: Path
) -> list[tuple[str, float, Callable[[], None]]]:
    from newsroom.cache import FailOpenRedisCache
    from testing.services import MissingTool, RedisServer

    try:
        server = stack.enter_context(RedisServer(workdir))  # killed at the end, frozen or not
    except MissingTool as exc:
        print(f"skipped the Redis cases: {exc}")
        return []
    options = {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    cache = FailOpenRedisCache(server.url, options)
    cache.set("warm", "1")  # a pooled connection, as a serving process has
    server.process.send_signal(signal.SIGSTOP)

    def first_call() -> None:
        FailOpenRedisCache._down_until = 0.0
        cache.get("page")

    def during_cool_off() -> None:
        for _ in range(20):
            cache.get("page")

    return [
        ("first cache call to a frozen Redis (timeout 0.5 s)", 1.0, first_call),
        ("20 cache calls during the cool-off that follows", 0.5, during_cool_off),
    ]


def parse_cases() -> list[tuple[str, float, Callable[[], None]]]:
    from ingestion.feeds import parse_feed
    from ingestion.transcripts import parse_transcript
    from testing import hostile_files

    feed = hostile_files.many_items_feed(10_000)
    vtt = hostile_files.long_vtt(5 * MiB)
    return [
        ("parse a feed of 10,000 items", 30.0, lambda: parse_feed(feed)),
        (
            "parse a 5 MB WebVTT transcript",
            30.0,
            lambda: parse_transcript(vtt, content_type="text/vtt"),
        ),
    ]


def grounding_case() -> tuple[str, float, Callable[[], None]]:
    from articles.transcript_data import Segment
    from digests.base import KeyPointData
    from digests.grounding import ground_key_points

    # The same shape as the grounding test: exact, altered and absent quotes.
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(800)] + ["the", "a", "of", "and", "to", "is"] * 40
    segments = []
    for i in range(1000):  # ~10k words
        words = " ".join(rng.choice(vocabulary) for _ in range(10))
        segments.append(Segment(float(i * 4), float(i * 4 + 4), "S", words))
    all_words = " ".join(s.text for s in segments).split()
    quotes = []
    for n in range(10):
        quote = all_words[900 * n + 37 : 900 * n + 52]
        if n % 3 == 1:
            quote[5] = "changed"
        if n % 3 == 2:
            quote = [rng.choice(vocabulary) for _ in range(15)]
        quotes.append(" ".join(quote))

    def ground() -> None:
        points = [KeyPointData(heading="h", body="b", quote=q) for q in quotes]
        ground_key_points(points, segments)

    return ("ground 10 key points in 10,000 words", 1.0, ground)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DEBUG", "1")  # a bench on a laptop: development settings
    import django

    django.setup()
    # Failing open is the behaviour measured, not news: keep its warning out of the table.
    logging.getLogger("newsroom.cache").setLevel(logging.ERROR)
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fault-timing-")))
        cases = [
            *fetch_cases(stack),
            *frozen_redis_cases(stack, workdir),
            *parse_cases(),
            grounding_case(),
        ]
        print(f"| case | median | slowest | target | {args.runs} runs |")
        print("|---|---|---|---|---|")
        for name, target, work in cases:
            runs = [timed(work) for _ in range(args.runs)]
            median, slowest = statistics.median(runs), max(runs)
            verdict = "met" if slowest < target else "MISSED"
            print(f"| {name} | {median:.3f} s | {slowest:.3f} s | < {target:g} s | {verdict} |")


if __name__ == "__main__":
    main()

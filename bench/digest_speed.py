"""Digest speed: the extractive backend on a one-hour, ~9,000-word transcript, one core.

The transcript is the QMSum validation meeting closest to 9,000 words, given times
as if spoken at 150 words a minute (so about an hour). The process is pinned to one
CPU and BLAS to one thread before numpy loads, so the figure is what one Celery
worker process costs. One warm-up run, then the median of --runs timed runs. The
longest meeting (about 22,000 words) is timed too, for the tail.

    .venv/bin/python bench/digest_speed.py [--data DIR] [--runs 7] [--no-write]
"""

from __future__ import annotations

import os

# Before numpy is imported anywhere: one thread, as in a worker process.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from summary_quality import DEFAULT_DATA, REPORT, Meeting, load, machine, replace_block  # noqa: E402

from articles.transcript_data import Segment  # noqa: E402
from digests.base import TranscriptInput  # noqa: E402
from digests.extractive import ExtractiveSummarizer, prepare  # noqa: E402

TARGET_WORDS = 9_000
WORDS_PER_SECOND = 150 / 60


def timed_input(meeting: Meeting) -> TranscriptInput:
    """The meeting's turns with start and end seconds at a speaking pace."""
    segments, clock = [], 0.0
    for speaker, text in meeting.turns:
        seconds = len(text.split()) / WORDS_PER_SECOND
        segments.append(Segment(round(clock, 2), round(clock + seconds, 2), speaker, text))
        clock += seconds
    return TranscriptInput(segments=segments, language="en")


def words(meeting: Meeting) -> int:
    return sum(len(text.split()) for _speaker, text in meeting.turns)


def time_runs(transcript: TranscriptInput, runs: int) -> list[float]:
    summarizer = ExtractiveSummarizer()
    summarizer.summarize(transcript, language="en")  # warm-up: regexes, caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        summarizer.summarize(transcript, language="en")
        times.append(time.perf_counter() - started)
    return times


def stages(transcript: TranscriptInput, runs: int) -> dict[str, float]:
    """Where the time goes (medians): cleaning and splitting, ranking and choosing, and
    writing the digest (headings, quotes, score, topic and tags)."""
    summarizer = ExtractiveSummarizer()
    cleaning, ranking, whole = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        prepared = prepare(transcript, "en")
        cleaned = time.perf_counter()
        summarizer.plan(prepared)
        ranked = time.perf_counter()
        summarizer.summarize(transcript, language="en")
        whole.append(time.perf_counter() - ranked)
        cleaning.append(cleaned - started)
        ranking.append(ranked - cleaned)
    clean, rank = statistics.median(cleaning), statistics.median(ranking)
    return {
        "clean + split": clean,
        "sections + rank + choose": rank,
        "write (headings, quotes, score, topic, tags)": max(
            0.0, statistics.median(whole) - clean - rank
        ),
    }


def pin_to_one_cpu() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity here)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    args = parser.parse_args()
    pinned = pin_to_one_cpu()
    meetings = load(args.data)
    hour = min(meetings, key=lambda m: abs(words(m) - TARGET_WORDS))
    longest = max(meetings, key=words)
    rows = []
    for label, meeting in (("one hour", hour), ("longest", longest)):
        transcript = timed_input(meeting)
        times = time_runs(transcript, args.runs)
        minutes = transcript.segments[-1].end / 60
        rows.append((label, meeting, minutes, times))
        print(
            f"{label}: {meeting.id}, {words(meeting):,} words, {len(meeting.turns)} turns, "
            f"{minutes:.0f} min: median {statistics.median(times):.3f} s "
            f"(min {min(times):.3f}, max {max(times):.3f}, {args.runs} runs)"
        )
    split = stages(timed_input(hour), args.runs)
    print("stages (medians): " + ", ".join(f"{k} {v:.3f} s" for k, v in split.items()))
    if not args.no_write:
        write_report(rows, split, pinned, args.runs)
        print(f"wrote {REPORT.relative_to(ROOT)}")


def write_report(rows: list, split: dict[str, float], pinned: str, runs: int) -> None:
    lines = [
        "| transcript | words | turns | length | median | min | max |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, meeting, minutes, times in rows:
        lines.append(
            f"| {label} ({meeting.id}) | {words(meeting):,} | {len(meeting.turns)} | "
            f"{minutes:.0f} min | {statistics.median(times):.3f} s | {min(times):.3f} s | "
            f"{max(times):.3f} s |"
        )
    stage_text = ";\n".join(f"{k} {v:.3f} s" for k, v in split.items())
    section = f"""<!-- speed:start -->
## Speed: one digest on one core

Measured {dt.date.today().isoformat()} by `bench/digest_speed.py` on {machine()},
{pinned}, BLAS limited to one thread: one warm-up run, then the median of {runs} runs of
`ExtractiveSummarizer().summarize()` (cleaning, sentence splitting, sections, ranking,
headings, quotes, score, topic and tags). "One hour" is the QMSum validation meeting
closest to {TARGET_WORDS:,} words, timed as if spoken at 150 words a minute. Target:
under 1 s for the hour. The median is the figure to read; min and max show how much
other processes on the machine disturbed the runs.

{chr(10).join(lines)}

Where the hour's time goes (medians of separate runs):
{stage_text}.
<!-- speed:end -->
"""
    replace_block(REPORT, "speed", section)


if __name__ == "__main__":
    main()

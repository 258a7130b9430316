"""Hostile files within the byte caps: time and peak memory of parsing (or refusing) them.

Issue 16 measured a 14 MB feed of 2,000,000 nested elements at 41 s and 900 MB, a
15.5 MB VTT at 23 s and 674 MB, and an OPML file of 100,000 outlines that made
100,000 sources in 400 s. This script builds those files (testing/hostile_files.py)
and the worst ones the limits still let through, in a temporary folder, and parses
each in a fresh process: the time of the parse alone (imports excluded), and the
process's peak resident memory (its high-water mark, VmHWM: Python and the
libraries included, about 40 MB idle; 100 MB with Django for the OPML imports).
Medians of --runs runs.

With --before REV, the same files are also parsed by the code of that git revision
(its Python files extracted to a temporary folder), so the section shows both; a
run past --timeout seconds is stopped and reported as such.

    .venv/bin/python bench/parse_limits.py [--runs 3] [--before REV] [--timeout 120]

Writes its section of docs/bench-ingest.md (between the parse-limits markers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testing import hostile_files as hostile  # noqa: E402

REPORT = ROOT / "docs" / "bench-ingest.md"
START, END = "<!-- parse-limits:start -->", "<!-- parse-limits:end -->"


@dataclass(frozen=True)
class Case:
    label: str
    kind: str  # "feed", "transcript" or "opml"
    build: object  # () -> bytes
    content_type: str = ""


CASES = [
    Case(
        "feed: 2,000,000 nested elements (the issue's)",
        "feed",
        lambda: hostile.nested_feed(2_000_000),
    ),
    Case(
        "feed: 199,975 elements 95 deep (within the limits)",
        "feed",
        lambda: hostile.nested_feed(95, repeat=2_105),
    ),
    Case(
        "feed: 199,990 elements, not well-formed (within the limits)",
        "feed",
        lambda: hostile.flat_feed(199_990, well_formed=False),
    ),
    Case("feed: one 14 MB description", "feed", lambda: hostile.big_description_feed(14_000_000)),
    Case(
        "JSON feed: 5,000,000 empty objects",
        "feed",
        lambda: hostile.json_feed_of_empty_objects(5_000_000),
    ),
    Case(
        "VTT: 15.5 MB of tiny cues (the issue's)",
        "transcript",
        lambda: hostile.tiny_cue_vtt(15_500_000),
        "text/vtt",
    ),
    Case(
        "VTT: 99,999 cues (within the limits)",
        "transcript",
        lambda: hostile.timed_vtt(99_999),
        "text/vtt",
    ),
    Case(
        "JSON transcript: 99,999 words, no times, no punctuation (within the limits)",
        "transcript",
        lambda: hostile.untimed_words_json(99_999),
        "application/json",
    ),
    Case(
        "OPML: 100,000 outlines (the issue's)",
        "opml",
        lambda: hostile.opml(hostile.public_feed_urls(100_000)),
    ),
    Case(
        "OPML: 2,000 outlines (within the limits)",
        "opml",
        lambda: hostile.opml(hostile.public_feed_urls(2_000)),
    ),
]

# Run in a fresh interpreter per measurement, against the code in `tree`: the parse is
# timed alone; the outcome ("parsed ...", "refused: ...") is printed as JSON.
CHILD = r"""
import json, os, sys, time
tree, kind, path, content_type = sys.argv[1:5]
sys.path.insert(0, tree)
data = open(path, "rb").read()
if kind == "opml":
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from ingestion import services
    run = lambda: services.sources_import_opml(data=data)
    describe = lambda result: f"{len(result[0]):,} sources added, {len(result[1]):,} skipped"
elif kind == "feed":
    from ingestion.feeds import parse_feed
    run = lambda: parse_feed(data)
    describe = lambda feed: f"parsed: {len(feed.episodes)} episode(s)"
else:
    from ingestion.transcripts import parse_transcript
    run = lambda: parse_transcript(data, content_type=content_type)
    describe = lambda parsed: f"parsed: {len(parsed.segments):,} segments"
started = time.perf_counter()
try:
    outcome = describe(run())
except ValueError as error:  # FeedError, TranscriptError and OpmlError are ValueErrors
    outcome = str(error)
seconds = time.perf_counter() - started
status = open("/proc/self/status").read().split("VmHWM:", 1)[1]
peak_kib = int(status.split()[0])
print(json.dumps({"seconds": seconds, "outcome": outcome, "peak_kib": peak_kib}))
"""


def peak_kib(pid: int) -> int:
    """A process's high-water mark of resident memory (VmHWM), in KiB.

    Not wait4's ru_maxrss: Linux carries the parent's high-water mark over into a
    child at exec, so every child of a bench that once held a big file in memory
    would report at least that much.
    """
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:", 1)[1].split()[0])


@dataclass
class Measure:
    seconds: float | None  # None: stopped at the timeout
    peak_mb: float
    outcome: str


def measure(tree: Path, case: Case, path: Path, work: Path, timeout: float) -> Measure:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "1",  # a laptop's settings: no secret key needed
        "DATABASE_URL": f"sqlite:///{work / f'bench-{time.monotonic_ns()}.sqlite3'}",
        "PYTHONPATH": str(tree),
    }
    env.pop("REDIS_URL", None)
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(tree), case.kind, str(path), case.content_type],
            stdout=out,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=work,
        )
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            peak = peak_kib(child.pid)  # read while the process is still there
            child.kill()
            child.wait()
            return Measure(None, peak / 1024, f"stopped after {timeout:g} s")
        out.seek(0)
        lines = out.read().decode().strip().splitlines()
    if child.returncode != 0 or not lines:
        return Measure(None, 0.0, f"crashed (exit {child.returncode})")
    result = json.loads(lines[-1])
    return Measure(result["seconds"], result["peak_kib"] / 1024, result["outcome"])


def median_of(runs: list[Measure]) -> Measure:
    timed = [m.seconds for m in runs if m.seconds is not None]
    seconds = statistics.median(timed) if len(timed) == len(runs) else None
    return Measure(seconds, statistics.median(m.peak_mb for m in runs), runs[-1].outcome)


def extract(revision: str, into: Path) -> str:
    """The Python files of `revision`, extracted under `into`; returns the commit."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", revision],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    archive = into / "before.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", revision, "--", "*.py"], cwd=ROOT, check=True, stdout=out)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return commit


def cell(m: Measure) -> str:
    time_text = f"{m.seconds:.2f} s" if m.seconds is not None else "—"
    return f"{time_text}, {m.peak_mb:.0f} MB"


def write_report(rows: list[tuple[Case, int, Measure, Measure | None]], args, commit: str) -> None:
    before = commit != ""
    header = (
        "| file | size | "
        + ("before: time, peak | " if before else "")
        + "now: time, peak | now: outcome |"
    )
    lines = [header, "|---|---:|" + ("---:|" if before else "") + "---:|---|"]
    for case, size, now, then in rows:
        cells = [case.label, f"{size / 1_000_000:.1f} MB"]
        if before:
            cells.append(
                cell(then) if then.seconds is not None else f"{then.outcome}, {then.peak_mb:.0f} MB"
            )
        cells += [cell(now), now.outcome.replace("|", "\\|")]
        lines.append("| " + " | ".join(cells) + " |")
    compared = f' and by the code of commit {commit} ("before")' if before else ""
    section = f"""{START}
## Hostile files within the byte caps

Measured {dt.date.today().isoformat()} by `bench/parse_limits.py` on {platform.machine()}, \
{os.cpu_count()} cores, Python {platform.python_version()}: each file parsed in a fresh \
process by the current code{compared}; the time of the parse (or of the refusal) alone, \
and the process's peak resident memory, Python and its libraries included (about 40 MB \
idle; 100 MB with Django for the OPML imports, which also migrate a fresh SQLite \
database first). Medians of {args.runs} runs; runs stopped after {args.timeout:g} s. \
Other work shared the machine's cores, so read the times as orders of magnitude.

{chr(10).join(lines)}

The limits (ingestion/limits.py, each a setting): FEED_MAX_DEPTH 100, \
FEED_MAX_ELEMENTS 200,000, TRANSCRIPT_MAX_CUES 100,000, TRANSCRIPT_MAX_LINES 300,000, \
OPML_MAX_BYTES 1 MiB, OPML_MAX_OUTLINES 2,000; feed descriptions are cut at 100,000 \
characters before sanitising. A file past a limit is refused by a pass that builds \
nothing (expat for XML feeds, str.count otherwise); within the limits that pass costs a \
few tenths of a second more than before. The OPML import checks each feed's address the \
way the fetcher would, resolving its name; the feeds here are at literal public \
addresses, so the figures do not depend on a resolver.
Reproduce: `.venv/bin/python bench/parse_limits.py --before <commit>`.
{END}
"""
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    REPORT.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", default="", help="a git revision to compare with")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    parser.add_argument("--only", default="", help="run the cases whose label has this text")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsroom-parse-limits-") as tmp:
        work = Path(tmp)
        commit = extract(args.before, work) if args.before else ""
        rows = []
        for number, case in enumerate(c for c in CASES if args.only in c.label):
            data = case.build()
            path = work / f"case-{number}"
            path.write_bytes(data)
            now = median_of(
                [measure(ROOT, case, path, work, args.timeout) for _ in range(args.runs)]
            )
            then = None
            if commit:
                then = median_of(
                    [
                        measure(work / "tree", case, path, work, args.timeout)
                        for _ in range(args.runs)
                    ]
                )
            rows.append((case, len(data), now, then))
            print(
                f"{case.label}: now {cell(now)} ({now.outcome})"
                + (f"; before {cell(then)} ({then.outcome})" if then else ""),
                flush=True,
            )
            path.unlink()
    if not args.no_write:
        write_report(rows, args, commit)
        print(f"wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

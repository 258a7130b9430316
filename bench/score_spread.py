"""Score spread: how the extractive backend's scores and their parts are distributed.

A score only informs when episodes of different quality get visibly different scores.
This runs the offline backend over the demo episodes (demo/transcripts, each in its
own detected language) and the QMSum validation meetings (one segment per turn,
English) and prints the minimum, median and maximum of the overall score and of each
part, per set. The calibration it checks is described in
`digests/scoring.py`; the aim is a spread (max - min) of at least 3
points in each set, meetings low on novelty and relevance, news shows high on both.

    .venv/bin/python bench/score_spread.py [--data DIR] [--episodes] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from summary_quality import DEFAULT_DATA, REPORT, load, replace_block, transcript_input  # noqa: E402

from digests.base import SCORE_PARTS, DigestData, TranscriptInput  # noqa: E402
from digests.extractive import ExtractiveSummarizer, detect_language  # noqa: E402
from ingestion.transcripts import parse_transcript  # noqa: E402

DEMO = ROOT / "demo" / "transcripts"
GOAL = 3.0  # the least spread (max - min) of the overall score in each set


def demo_digests(summarizer: ExtractiveSummarizer) -> dict[str, DigestData]:
    digests = {}
    for path in sorted(DEMO.iterdir()):
        parsed = parse_transcript(path.read_bytes(), filename=path.name)
        language = detect_language(parsed.text)
        transcript = TranscriptInput(segments=parsed.segments, language=language)
        digests[path.stem] = summarizer.summarize(transcript, language=language)
    return digests


def meeting_digests(summarizer: ExtractiveSummarizer, data: Path) -> dict[str, DigestData]:
    return {m.id: summarizer.summarize(transcript_input(m), language="en") for m in load(data)}


def spread_rows(digests: dict[str, DigestData]) -> list[tuple[str, float, float, float]]:
    """(what, min, median, max) for the overall score and each part."""
    columns = {"score": [d.score for d in digests.values()]}
    for part in SCORE_PARTS:
        columns[part] = [d.score_parts.get(part, 0.0) for d in digests.values()]
    return [(k, min(v), statistics.median(v), max(v)) for k, v in columns.items()]


def table(sets: dict[str, dict[str, DigestData]]) -> str:
    lines = [
        "| set | episodes | what | min | median | max | spread |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for name, digests in sets.items():
        for what, low, middle, high in spread_rows(digests):
            label = f"**{what}**" if what == "score" else what
            lines.append(
                f"| {name} | {len(digests)} | {label} | {low:.1f} | {middle:.1f} | "
                f"{high:.1f} | {high - low:.1f} |"
            )
    return "\n".join(lines)


def episodes(digests: dict[str, DigestData]) -> str:
    lines = []
    for name, d in sorted(digests.items(), key=lambda item: -item[1].score):
        parts = " ".join(f"{k[:3]} {v:4.1f}" for k, v in d.score_parts.items())
        lines.append(f"  {name:30} {d.score:4.1f}   {parts}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder of QMSum JSON files"
    )
    parser.add_argument("--episodes", action="store_true", help="print every episode's parts")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    args = parser.parse_args()

    summarizer = ExtractiveSummarizer()
    sets = {"demo": demo_digests(summarizer), "QMSum": meeting_digests(summarizer, args.data)}
    text = table(sets)
    print(text)
    for name, digests in sets.items():
        scores = [d.score for d in digests.values()]
        verdict = "ok" if max(scores) - min(scores) >= GOAL else f"under {GOAL:.0f}"
        print(f"{name}: spread {max(scores) - min(scores):.1f} ({verdict})")
        if args.episodes:
            print(episodes(digests))
    if not args.no_write:
        write_report(text, sets)
        print(f"wrote {REPORT.relative_to(ROOT)}")


def write_report(text: str, sets: dict[str, dict[str, DigestData]]) -> None:
    demo, meetings = (len(d) for d in sets.values())
    section = f"""<!-- scores:start -->
## Scores: how far apart they are

Measured {dt.date.today().isoformat()} by `bench/score_spread.py`: the extractive
backend over the {demo} demo episodes (`demo/transcripts`, each in its own language)
and the {meetings} QMSum validation meetings (one segment per turn, English). The score is
the mean of its four parts; each density part is on a log scale around a middle
density that scores 5, 3 points a doubling (`digests/scoring.py` says
why and gives the middles). The aim: scores at least {GOAL:.0f} points apart within each
set, meetings low on novelty and relevance. Before this calibration the same
episodes scored 4.9 to 7.0 (demo) and 2.2 to 6.7 (QMSum).

{text}
<!-- scores:end -->
"""
    replace_block(REPORT, "scores", section)


if __name__ == "__main__":
    main()
